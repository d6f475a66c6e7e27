package dev.gatehouse.engine.sql;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The analysis of one message: its statements, judged as a whole.
 *
 * @param fingerprint literal-free, whitespace-normalized text; equal for statements that differ
 *     only in literals, so it keys the analysis cache
 */
public record Analysis(String sql, List<StatementInfo> statements, String fingerprint) {

  public Analysis {
    statements = List.copyOf(statements);
  }

  /** Every risk flag of every statement. */
  public Set<RiskFlag> riskFlags() {
    Set<RiskFlag> all = EnumSet.noneOf(RiskFlag.class);
    statements.forEach(s -> all.addAll(s.riskFlags()));
    return all;
  }

  /** The result columns of the last statement (the one whose rows a client sees), or empty. */
  public List<OutputColumn> outputColumns() {
    return statements.isEmpty() ? List.of() : statements.getLast().outputColumns();
  }
}
