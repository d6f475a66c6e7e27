package dev.gatehouse.engine.audit;

/**
 * How far the control database is behind this instance's local audit log: records, the age of the
 * oldest unshipped record in seconds, and bytes. All zero with {@code durability:
 * control-database}.
 */
public record AuditLag(long records, double seconds, long bytes) {

  public static final AuditLag NONE = new AuditLag(0, 0, 0);

  /** Why this lag exceeds the bounds, or null when within them. */
  String over(long maxRecords, double maxSeconds) {
    if (records > maxRecords) {
      return records + " records are not shipped yet (bound " + maxRecords + ")";
    }
    if (seconds > maxSeconds) {
      return String.format(
          java.util.Locale.ROOT,
          "the oldest unshipped record is %.1f s old (bound %.1f s)",
          seconds,
          maxSeconds);
    }
    return null;
  }
}
