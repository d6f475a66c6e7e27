package dev.gatehouse.engine.approval;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the approval workflow, validated here.
 *
 * @param expiry how long a request may wait for a decision, and an approval for its use
 * @param expirySweep how often expired requests are looked for (by every instance; one wins)
 * @param pollInterval how often waiters poll while the notification connection is lost
 * @param reconnectBackoff how long the listener waits before it reconnects
 * @param window how long a used approval lets its requester run statements of the same classes on
 *     the same database without asking again; zero (the default) for single use only
 */
public record ApprovalConfig(
    Duration expiry,
    Duration expirySweep,
    Duration pollInterval,
    Duration reconnectBackoff,
    Duration window) {

  public ApprovalConfig {
    positive("expiry", expiry);
    positive("expiry-sweep", expirySweep);
    positive("poll-interval", pollInterval);
    positive("reconnect-backoff", reconnectBackoff);
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException(
          "approvals `window` must be zero or positive, got " + window);
    }
  }

  /** Requests expire after 15 minutes; sweeps and fallback polls every second. */
  public static ApprovalConfig defaults() {
    return new ApprovalConfig(
        Duration.ofMinutes(15),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ZERO);
  }

  public ApprovalConfig withExpiry(Duration newExpiry) {
    return new ApprovalConfig(newExpiry, expirySweep, pollInterval, reconnectBackoff, window);
  }

  public ApprovalConfig withIntervals(Duration sweep, Duration poll, Duration reconnect) {
    return new ApprovalConfig(expiry, sweep, poll, reconnect, window);
  }

  public ApprovalConfig withWindow(Duration newWindow) {
    return new ApprovalConfig(expiry, expirySweep, pollInterval, reconnectBackoff, newWindow);
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("approvals `" + field + "` must be positive, got " + d);
    }
  }
}
