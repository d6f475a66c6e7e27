package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.policy.Channel;
import java.time.Instant;

/**
 * An authentication attempt.
 *
 * @param issuer the verified issuer, or null when verification failed
 * @param subject the verified subject, or null when verification failed
 * @param failureReason why the token was refused, or null on success
 */
public record AuthEvent(
    Instant at,
    Channel channel,
    String database,
    String clientApplication,
    String clientAddress,
    String issuer,
    String subject,
    String failureReason) {

  public boolean succeeded() {
    return failureReason == null;
  }
}
