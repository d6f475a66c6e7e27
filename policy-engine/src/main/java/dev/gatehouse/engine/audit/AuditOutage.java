package dev.gatehouse.engine.audit;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether governed statements are refused because their records cannot be made durable, and why. It
 * logs one WARN line when the first cause begins and one INFO line when the last one ends, so an
 * outage costs two log lines, not a stack trace per refused statement (issue 18).
 */
final class AuditOutage {

  private static final Logger log = LoggerFactory.getLogger(AuditOutage.class);

  /** Why records cannot be made durable now. */
  enum Cause {
    /** {@code durability: control-database}: a commit failed; records are spooled. */
    CONTROL_DATABASE,
    /** Records were not durable within the durable timeout (a hung control database or disk). */
    NOT_DURABLE_IN_TIME,
    /** {@code durability: local-log}: the local log cannot be written. */
    LOCAL_LOG,
    /** {@code durability: local-log}: shipping lags beyond its bound. */
    SHIPPING_LAG
  }

  private final Map<Cause, String> causes = new EnumMap<>(Cause.class);
  private long downSince;
  private long refused;
  // Read without the lock on every commit: most of the time nothing is down.
  private volatile boolean anyDown;

  /** Marks {@code cause} as begun; logs once when it is the first. */
  synchronized void begin(Cause cause, String why) {
    if (causes.isEmpty()) {
      downSince = System.nanoTime();
      refused = 0;
      log.warn("audit trail unavailable, governed statements are refused: {}", why);
    }
    causes.putIfAbsent(cause, why);
    anyDown = true;
  }

  /** Marks {@code cause} as ended; logs once when it was the last. */
  synchronized void end(Cause cause, String detail) {
    if (causes.remove(cause) != null && causes.isEmpty()) {
      anyDown = false;
      log.info(
          "audit trail available again after {} s, governed statements are served ({} refused"
              + " meanwhile{})",
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - downSince) / 1e9),
          refused,
          detail == null ? "" : "; " + detail);
    }
  }

  /** Counts a statement refused during this outage, for the recovery line. */
  synchronized void refusedOne() {
    refused++;
  }

  boolean down() {
    return anyDown;
  }

  /** Records became durable: a timeout that was a cause is over. */
  void durableAgain() {
    if (anyDown) {
      end(Cause.NOT_DURABLE_IN_TIME, null);
    }
  }

  synchronized boolean has(Cause cause) {
    return causes.containsKey(cause);
  }
}
