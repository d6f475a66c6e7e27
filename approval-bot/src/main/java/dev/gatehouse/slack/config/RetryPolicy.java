package dev.gatehouse.slack.config;

import java.time.Duration;

/**
 * How one Slack Web API call is retried on 429 (honouring {@code Retry-After}), 5xx and connection
 * failures before the outbox takes over.
 *
 * @param maxAttempts attempts per call, the first included
 * @param initialBackoff the wait after the first failure; doubles each time
 * @param maxBackoff the longest wait between two attempts
 * @param maxRetryAfter the longest {@code Retry-After} honoured inline; a longer one ends the call
 *     and leaves the work to the outbox
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(30));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry attempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("retry backoff must be 0 <= initial <= max");
    }
    if (maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("the longest retry-after must not be negative");
    }
  }

  /** The wait before attempt {@code attempt + 1} after {@code attempt} failures (1-based). */
  public Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
