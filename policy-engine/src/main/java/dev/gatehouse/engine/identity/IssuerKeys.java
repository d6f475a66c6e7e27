package dev.gatehouse.engine.identity;

import static dev.gatehouse.engine.identity.AuthenticationException.Reason.ISSUER_UNAVAILABLE;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.UNKNOWN_KEY;

import com.nimbusds.jose.JWSHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of one issuer: fetched on first use, cached, refetched when a token names a key
 * the cache lacks, never more often than the minimum refresh interval.
 *
 * <p>Each issuer has its own lock and state, so an issuer that is down or slow delays and refuses
 * only tokens that name it. Readers take the cached snapshot without locking.
 */
final class IssuerKeys {

  private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);

  private final TrustedIssuer issuer;
  private final KeySetFetcher fetcher;
  private final VerifierSettings settings;
  private final ReentrantLock lock = new ReentrantLock();

  private volatile KeySnapshot snapshot;
  // guarded by lock
  private Instant lastAttempt;
  private boolean lastAttemptFailed;

  IssuerKeys(TrustedIssuer issuer, KeySetFetcher fetcher, VerifierSettings settings) {
    this.issuer = issuer;
    this.fetcher = fetcher;
    this.settings = settings;
  }

  /** The issuer's keys that may have signed a token with {@code header}, never empty. */
  List<VerificationKey> keysFor(JWSHeader header) throws AuthenticationException {
    KeySnapshot current = snapshot;
    if (current == null) {
      current = load();
    } else if (current.olderThan(settings.keysMaxAge(), now())) {
      current = refresh(current, false);
    }
    List<VerificationKey> keys = current.matching(header);
    if (!keys.isEmpty()) {
      return keys;
    }
    // The issuer may have rotated its keys since the last fetch: look once more, rate limited.
    current = refresh(current, true);
    keys = current.matching(header);
    if (keys.isEmpty()) {
      String kid = header.getKeyID();
      throw new AuthenticationException(
          UNKNOWN_KEY,
          (kid == null
                  ? "token names no key id and no key"
                  : "key `" + Text.quote(kid) + "` is unknown;" + " no key")
              + " of issuer `"
              + issuer.issuer()
              + "` fits algorithm `"
              + header.getAlgorithm()
              + "`");
    }
    return keys;
  }

  private KeySnapshot load() throws AuthenticationException {
    lock.lock();
    try {
      if (snapshot != null) {
        return snapshot; // another thread loaded the keys while this one waited
      }
      Instant now = now();
      if (lastAttemptFailed && !elapsed(lastAttempt, settings.retryAfterFailure(), now)) {
        throw unavailable();
      }
      return fetch(now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refetches the keys if nobody did since {@code seen} and the rate limit allows. For an unknown
   * key a failed fetch refuses the token; for keys that merely aged, the old keys stay in use.
   */
  private KeySnapshot refresh(KeySnapshot seen, boolean unknownKey) throws AuthenticationException {
    lock.lock();
    try {
      if (snapshot != seen) {
        return snapshot;
      }
      Instant now = now();
      if (!elapsed(lastAttempt, settings.minRefreshInterval(), now)) {
        if (unknownKey && lastAttemptFailed) {
          throw unavailable();
        }
        return seen;
      }
      try {
        return fetch(now);
      } catch (AuthenticationException e) {
        if (unknownKey) {
          throw e;
        }
        return seen;
      }
    } finally {
      lock.unlock();
    }
  }

  // Called with the lock held.
  private KeySnapshot fetch(Instant now) throws AuthenticationException {
    lastAttempt = now;
    try {
      KeySnapshot fresh = KeySnapshot.of(fetcher.fetch(issuer), now);
      if (fresh.isEmpty()) {
        log.warn("issuer `{}` publishes no key this gateway can use", issuer.issuer());
      }
      lastAttemptFailed = false;
      snapshot = fresh;
      return fresh;
    } catch (KeySetFetcher.FetchException e) {
      lastAttemptFailed = true;
      log.warn("issuer `{}` is unavailable: {}", issuer.issuer(), e.getMessage());
      throw unavailable();
    }
  }

  private AuthenticationException unavailable() {
    return new AuthenticationException(
        ISSUER_UNAVAILABLE,
        "keys of issuer `" + issuer.issuer() + "` cannot be fetched now; try again later");
  }

  private Instant now() {
    return settings.clock().instant();
  }

  private static boolean elapsed(Instant since, Duration interval, Instant now) {
    return since == null || !now.isBefore(since.plus(interval));
  }
}
