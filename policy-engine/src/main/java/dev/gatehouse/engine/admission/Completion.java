package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.masking.AppliedMask;
import java.time.Duration;
import java.util.List;

/**
 * How an admitted statement ended, as the front end saw it.
 *
 * @param rows rows returned or affected
 * @param masks the masks applied to its result
 * @param sqlState the SQLSTATE of an error, or null
 * @param error the error message, or null
 */
public record Completion(
    long rows, Duration duration, List<AppliedMask> masks, String sqlState, String error) {

  public Completion {
    masks = List.copyOf(masks);
  }

  /** It ran and returned or changed {@code rows} rows. */
  public static Completion ran(long rows, Duration duration, List<AppliedMask> masks) {
    return new Completion(rows, duration, masks, null, null);
  }

  /** It failed with {@code sqlState}. */
  public static Completion failed(
      long rows, Duration duration, List<AppliedMask> masks, String sqlState, String error) {
    return new Completion(rows, duration, masks, sqlState, error);
  }
}
