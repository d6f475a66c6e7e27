package dev.gatehouse.engine.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by every issuer of one {@link JwtTokenVerifier}.
 *
 * @param maxTokenChars tokens longer than this are refused before any parsing
 * @param connectTimeout how long to wait for an issuer's discovery or JWKS endpoint to accept
 * @param readTimeout how long to wait for its answer
 * @param minRefreshInterval the least time between two key-set fetches of one issuer; an unknown
 *     {@code kid} never fetches more often than this
 * @param retryAfterFailure after a failed first fetch, how long an issuer is reported unavailable
 *     without trying again
 * @param keysMaxAge a key set older than this is refetched on next use (the old one stays in use if
 *     the issuer cannot be reached)
 * @param maxDocumentBytes the largest discovery document or JWKS accepted
 * @param clock the time source for token lifetimes and refresh bookkeeping
 */
public record VerifierSettings(
    int maxTokenChars,
    Duration connectTimeout,
    Duration readTimeout,
    Duration minRefreshInterval,
    Duration retryAfterFailure,
    Duration keysMaxAge,
    int maxDocumentBytes,
    Clock clock) {

  /** 16 KiB: far above any real OIDC token, far below anything that costs memory. */
  public static final int DEFAULT_MAX_TOKEN_CHARS = 16 * 1024;

  public VerifierSettings {
    if (maxTokenChars < 256) {
      throw new IllegalArgumentException(
          "token size limit `" + maxTokenChars + "` is too small; use at least 256 characters");
    }
    if (maxDocumentBytes < 1024) {
      throw new IllegalArgumentException(
          "document size limit `" + maxDocumentBytes + "` is too small; use at least 1024 bytes");
    }
    requirePositive("connect timeout", connectTimeout);
    requirePositive("read timeout", readTimeout);
    requireNotNegative("minimum refresh interval", minRefreshInterval);
    requireNotNegative("retry after failure", retryAfterFailure);
    requirePositive("key set maximum age", keysMaxAge);
    Objects.requireNonNull(clock, "clock");
  }

  /** Defaults: 16 KiB tokens, 2 s connect, 3 s read, 30 s between refreshes, 10 min key age. */
  public static VerifierSettings defaults() {
    return new VerifierSettings(
        DEFAULT_MAX_TOKEN_CHARS,
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofMinutes(10),
        512 * 1024,
        Clock.systemUTC());
  }

  public VerifierSettings withMaxTokenChars(int chars) {
    return new VerifierSettings(
        chars,
        connectTimeout,
        readTimeout,
        minRefreshInterval,
        retryAfterFailure,
        keysMaxAge,
        maxDocumentBytes,
        clock);
  }

  public VerifierSettings withRefresh(Duration minInterval, Duration retryAfter) {
    return new VerifierSettings(
        maxTokenChars,
        connectTimeout,
        readTimeout,
        minInterval,
        retryAfter,
        keysMaxAge,
        maxDocumentBytes,
        clock);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, not `" + d + "`");
    }
  }

  private static void requireNotNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be zero or more, not `" + d + "`");
    }
  }
}
