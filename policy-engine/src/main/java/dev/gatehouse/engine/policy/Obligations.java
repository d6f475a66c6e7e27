package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.masking.MaskingPolicy;
import java.time.Duration;

/**
 * What a front end must do when it runs an allowed statement.
 *
 * @param upstreamRole the upstream role to run as (a name from the database's configuration)
 * @param readOnly run in a read-only transaction or session
 * @param rowLimit the maximum rows returned, or 0 for none
 * @param statementTimeout upstream statement timeout, or null for none
 * @param masking the masking rules and detectors in force for this principal
 * @param maxRowsAffected the most rows a write may change without approval, or 0 for no bound
 */
public record Obligations(
    String upstreamRole,
    boolean readOnly,
    long rowLimit,
    Duration statementTimeout,
    MaskingPolicy masking,
    long maxRowsAffected) {

  /** Obligations without a bound on the rows a write may change. */
  public Obligations(
      String upstreamRole,
      boolean readOnly,
      long rowLimit,
      Duration statementTimeout,
      MaskingPolicy masking) {
    this(upstreamRole, readOnly, rowLimit, statementTimeout, masking, 0);
  }

  /** Obligations of a denial: nothing may run. */
  public static final Obligations NONE = new Obligations(null, true, 0, null, MaskingPolicy.NONE);
}
