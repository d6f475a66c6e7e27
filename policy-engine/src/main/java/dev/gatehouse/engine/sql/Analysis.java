package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The analysis of one message: its statements, judged as a whole.
 *
 * @param fingerprint literal-free, whitespace-normalized text; equal for statements that differ
 *     only in literals, so it keys the analysis cache
 * @param exceeded the analyser's bound the message went past (it is then refused whatever the
 *     policy says), or null
 */
public record Analysis(
    String sql, List<StatementInfo> statements, String fingerprint, AnalysisLimit exceeded) {

  public Analysis {
    statements = List.copyOf(statements);
  }

  public Analysis(String sql, List<StatementInfo> statements, String fingerprint) {
    this(sql, statements, fingerprint, null);
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
