package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.masking.AppliedMask;
import java.time.Duration;
import java.util.List;

/**
 * How a statement ended.
 *
 * @param rows rows returned or affected
 * @param masks masks applied to its result
 * @param sqlState the SQLSTATE of an error, or null
 * @param error the error message, or null
 * @param capturedRows the first rows the caller received (already masked), when the policy asks for
 *     result capture; otherwise empty
 */
public record StatementOutcome(
    long rows,
    Duration duration,
    List<AppliedMask> masks,
    String sqlState,
    String error,
    List<List<String>> capturedRows) {

  public StatementOutcome {
    masks = List.copyOf(masks);
    capturedRows = List.copyOf(capturedRows);
  }
}
