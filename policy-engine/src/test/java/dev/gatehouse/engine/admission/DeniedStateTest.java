package dev.gatehouse.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A message refused for the analyser's limits carries PostgreSQL's 54000/54001, not 42501. */
class DeniedStateTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static SqlState stateOf(String sql) {
    return AdmissionDesk.deniedState(
        new Verdict(analyzer.analyze(sql, AnalysisContext.DEFAULT), null));
  }

  @Test
  void nestingPastTheLimitIsStatementTooComplex() {
    assertThat(stateOf("SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000)))
        .isEqualTo(SqlState.STATEMENT_TOO_COMPLEX);
    assertThat(SqlState.STATEMENT_TOO_COMPLEX.code()).isEqualTo("54001");
  }

  @Test
  void tooManyStatementsIsProgramLimitExceeded() {
    assertThat(stateOf("SELECT 1;".repeat(5000))).isEqualTo(SqlState.PROGRAM_LIMIT_EXCEEDED);
    assertThat(SqlState.PROGRAM_LIMIT_EXCEEDED.code()).isEqualTo("54000");
  }

  @Test
  void anOrdinaryDenialIsInsufficientPrivilege() {
    assertThat(stateOf("DROP TABLE app.customers")).isEqualTo(SqlState.INSUFFICIENT_PRIVILEGE);
    assertThat(new Refusal.Denied(java.util.List.of("r"), "x").sqlState())
        .isEqualTo(SqlState.INSUFFICIENT_PRIVILEGE);
  }
}
