package dev.gatehouse.slack.interaction;

import dev.gatehouse.slack.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies that a request came from Slack: {@code X-Slack-Signature} must be {@code v0=} and the
 * HMAC-SHA256 of {@code v0:<timestamp>:<raw body>} under the signing secret, compared in constant
 * time, and {@code X-Slack-Request-Timestamp} must be within the replay window of now.
 *
 * <p>https://api.slack.com/authentication/verifying-requests-from-slack
 */
public final class SlackSignature {

  private final Secret signingSecret;
  private final Duration replayWindow;
  private final Clock clock;

  public SlackSignature(Secret signingSecret, Duration replayWindow, Clock clock) {
    this.signingSecret = signingSecret;
    this.replayWindow = replayWindow;
    this.clock = clock;
  }

  /** Why a request was refused, or empty when it is authentic and fresh. */
  public Optional<String> check(String timestamp, String signature, byte[] body) {
    if (timestamp == null || signature == null) {
      return Optional.of("missing slack signature headers");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return Optional.of("malformed slack request timestamp");
    }
    Instant sent = Instant.ofEpochSecond(seconds);
    // Checked before the signature so a replayed old request is called what it is.
    if (Duration.between(sent, clock.instant()).abs().compareTo(replayWindow) > 0) {
      return Optional.of("stale slack request timestamp (outside the replay window)");
    }
    byte[] expected = sign(timestamp.strip(), body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.strip().getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      return Optional.of("bad slack signature");
    }
    return Optional.empty();
  }

  /** {@code v0=<hex>} for {@code body} sent at {@code timestamp}. */
  public String sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingSecret.bytes(), "HmacSHA256"));
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      return "v0=" + HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
