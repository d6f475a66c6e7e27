package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every spelling of EXPLAIN's options that runs the statement is judged as running it. */
class ExplainOptionsTest {

  private static final String DELETE = " DELETE FROM app.orders WHERE id = 1";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "EXPLAIN ANALYZE",
        "EXPLAIN ANALYSE",
        "explain analyze verbose",
        "EXPLAIN/* c */ANALYZE",
        "EXPLAIN\n\t-- comment\n analyse",
        "EXPLAIN (ANALYZE)",
        "EXPLAIN (analyse)",
        "EXPLAIN (\"analyze\")",
        "EXPLAIN (\"analyse\")",
        "EXPLAIN (\"ANALYZE\")",
        "EXPLAIN (U&\"analyz\\0065\")",
        "EXPLAIN (ANALYZE true)",
        "EXPLAIN (ANALYZE TRUE)",
        "EXPLAIN (ANALYZE on)",
        "EXPLAIN (ANALYZE 1)",
        "EXPLAIN (ANALYZE +1)",
        "EXPLAIN (ANALYZE 'true')",
        "EXPLAIN (ANALYZE 'on')",
        "EXPLAIN (ANALYZE \"on\")",
        "EXPLAIN (ANALYZE $$on$$)",
        "EXPLAIN (ANALYZE yes)",
        "EXPLAIN (ANALYZE 2)",
        "EXPLAIN (ANALYZE 0.0)",
        "EXPLAIN (ANALYZE -1)",
        "EXPLAIN (FORMAT JSON, ANALYZE)",
        "EXPLAIN (BUFFERS, VERBOSE, ANALYZE, COSTS off)",
        "EXPLAIN (ANALYZE false, ANALYZE true)",
        "EXPLAIN (ANALYZE true, ANALYZE false)",
        "EXPLAIN (FORMAT yaml, SETTINGS, WAL, TIMING, SUMMARY, ANALYZE)",
        "EXPLAIN ( /* a */ ANALYZE /* b */ , /* c */ BUFFERS )",
        "EXPLAIN (SERIALIZE text, MEMORY, ANALYZE)",
        "EXPLAIN (runit)",
        "EXPLAIN (FORMAT JSON, \"Analyze\")",
        "EXPLAIN (analyze_now true)",
      })
  void optionsThatMayRunTheStatementAreJudgedAsRunningIt(String explain) {
    StatementInfo s = one(explain + DELETE);
    assertTrue(s.riskFlags().contains(RiskFlag.EXPLAIN_ANALYZE), explain);
    assertEquals(StatementClass.WRITE, s.statementClass(), explain);
    assertEquals("orders", s.tablesWritten().iterator().next().name(), explain);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "EXPLAIN",
        "EXPLAIN VERBOSE",
        "EXPLAIN (ANALYZE false)",
        "EXPLAIN (ANALYZE FALSE)",
        "EXPLAIN (ANALYZE off)",
        "EXPLAIN (ANALYZE OFF)",
        "EXPLAIN (ANALYZE 0)",
        "EXPLAIN (ANALYZE 'false')",
        "EXPLAIN (ANALYZE 'Off')",
        "EXPLAIN (ANALYZE \"off\")",
        "EXPLAIN (FORMAT JSON)",
        "EXPLAIN (FORMAT JSON, COSTS false, VERBOSE, ANALYZE 0)",
        "EXPLAIN (GENERIC_PLAN)",
        "EXPLAIN (\"verbose\", \"format\" 'json')",
      })
  void planOnlyOptionsOnlyRead(String explain) {
    StatementInfo s = one(explain + DELETE);
    assertFalse(s.riskFlags().contains(RiskFlag.EXPLAIN_ANALYZE), explain);
    assertEquals(StatementClass.READ, s.statementClass(), explain);
    assertTrue(s.tablesWritten().isEmpty(), explain);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "EXPLAIN ()",
        "EXPLAIN (ANALYZE,)",
        "EXPLAIN (ANALYZE (true))",
        "EXPLAIN (ANALYZE true false)",
        "EXPLAIN (, ANALYZE)",
        "EXPLAIN (ANALYZE",
        "EXPLAIN ('analyze')",
      })
  void malformedOptionListsFailClosed(String explain) {
    StatementInfo s = one(explain + DELETE);
    assertTrue(
        s.riskFlags().contains(RiskFlag.PARSE_FAILURE)
            || s.riskFlags().contains(RiskFlag.EXPLAIN_ANALYZE),
        explain);
  }

  @ParameterizedTest
  @ValueSource(strings = {"EXPLAIN ANALYZE EXECUTE p", "EXPLAIN (ANALYZE) EXECUTE p(1)"})
  void explainAnalyzeOfExecuteRunsDynamicSql(String explain) {
    StatementInfo s = one(explain);
    assertTrue(s.riskFlags().contains(RiskFlag.EXPLAIN_ANALYZE), explain);
    assertTrue(s.riskFlags().contains(RiskFlag.DYNAMIC_SQL), explain);
  }
}
