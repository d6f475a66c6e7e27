package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.RiskFlag;
import java.util.Collection;
import java.util.Set;

/**
 * Result capture: for the principals, tables or risk flags chosen here, the first rows the caller
 * received (already masked) are kept with the statement's outcome. Off unless something is chosen.
 *
 * @param subjects principal subjects whose results are captured
 * @param groups principal groups whose results are captured
 * @param tables tables ({@code schema.table}) whose readers' results are captured
 * @param riskFlags risk flags that make a statement's result captured
 * @param maxRows at most this many rows per statement
 * @param maxBytes at most this many characters of captured values per statement
 */
public record CaptureConfig(
    Set<String> subjects,
    Set<String> groups,
    Set<String> tables,
    Set<RiskFlag> riskFlags,
    int maxRows,
    int maxBytes) {

  /** Nothing is captured. */
  public static final CaptureConfig OFF =
      new CaptureConfig(Set.of(), Set.of(), Set.of(), Set.of(), 0, 0);

  private static final int ROWS_CEILING = 1_000;
  private static final int BYTES_CEILING = 1 << 20;

  public CaptureConfig {
    subjects = Set.copyOf(subjects);
    groups = Set.copyOf(groups);
    tables = Set.copyOf(tables.stream().map(t -> t.toLowerCase(java.util.Locale.ROOT)).toList());
    riskFlags = Set.copyOf(riskFlags);
    if (maxRows < 0 || maxRows > ROWS_CEILING) {
      throw new IllegalArgumentException(
          "audit capture `max-rows` must be between 0 and " + ROWS_CEILING + ", got " + maxRows);
    }
    if (maxBytes < 0 || maxBytes > BYTES_CEILING) {
      throw new IllegalArgumentException(
          "audit capture `max-bytes` must be between 0 and " + BYTES_CEILING + ", got " + maxBytes);
    }
  }

  /** How many rows to capture for this statement: {@link #maxRows} when it is chosen, else 0. */
  int limitFor(Principal principal, Collection<String> statementTables, Set<RiskFlag> flags) {
    if (maxRows == 0 || maxBytes == 0) {
      return 0;
    }
    boolean chosen =
        (principal != null
                && (subjects.contains(principal.subject())
                    || principal.groups().stream().anyMatch(groups::contains)))
            || statementTables.stream().anyMatch(tables::contains)
            || flags.stream().anyMatch(riskFlags::contains);
    return chosen ? maxRows : 0;
  }
}
