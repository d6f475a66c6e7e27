package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever cannot be analysed with confidence carries a flag; nothing passes silently. */
class FailClosedTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT FROM WHERE (",
        "SELECT 'unterminated",
        "SELEKT 1",
        "CREATE RULE r AS ON SELECT TO app.t DO INSTEAD NOTHING",
        "SELECT 1 FROM t WHERE a OPERATOR(evil.=) b",
        "SET",
        "SELECT 1 FROM app.t t u pg_sleep(1)",
        "DELETE FROM app.t WHERE id = 1 garbage pg_sleep(1)",
        "SELECT 1 FROM app.t) pg_sleep(1)",
        "SELECT * FROM app.customers*",
        // red-team round 39: PostgreSQL reads U+3000 (and any other non-ASCII character) as part
        // of a name; the parser was given the text stripped of it, and read a SELECT
        "\u3000SELECT 2 AS b",
        "SELECT 1 AS a;\u3000SELECT 2 AS b",
        "\u2003SELECT 2",
        "SELECT 2\u00a0FROM app.orders",
      })
  void unparseableStatementsAreFlagged(String sql) {
    Set<RiskFlag> flags =
        AnalyzerFixture.ANALYZER.analyze(sql, AnalysisContext.DEFAULT).riskFlags();
    assertTrue(
        flags.contains(RiskFlag.PARSE_FAILURE) || flags.contains(RiskFlag.UNSUPPORTED_STATEMENT),
        () -> sql + ": " + flags);
  }

  @Test
  void oversizedMessagesAreFlaggedWithoutParsing() {
    try (PostgresSqlAnalyzer small =
        new PostgresSqlAnalyzer(
            new PostgresSqlAnalyzer.Limits(100, 10, Duration.ofSeconds(2), 1))) {
      Analysis a = small.analyze("SELECT '" + "x".repeat(200) + "'", AnalysisContext.DEFAULT);
      assertEquals(Set.of(RiskFlag.TOO_LARGE), a.riskFlags());
      Analysis many = small.analyze("SELECT 1;".repeat(11), AnalysisContext.DEFAULT);
      assertTrue(many.riskFlags().contains(RiskFlag.TOO_LARGE));
    }
  }

  @Test
  void aParseThatTakesTooLongIsATimeoutNotAPass() {
    // 1 ms cannot parse 390 nested parentheses; the caller gets its answer at the deadline.
    try (PostgresSqlAnalyzer hasty =
        new PostgresSqlAnalyzer(
            new PostgresSqlAnalyzer.Limits(
                1 << 20, 10, 100_000, 400, Duration.ofMillis(1), 1, 1, Duration.ofMinutes(1)))) {
      // Nested parentheses are the parser's slowest input: 390 levels, within this nesting bound,
      // take far longer than 1 ms even once the parser is warm (190 nested calls did not, in CI).
      String sql = "SELECT " + "(".repeat(390) + "1" + ")".repeat(390) + " FROM app.t";
      long start = System.nanoTime();
      Analysis a = hasty.analyze(sql, AnalysisContext.DEFAULT);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(a.riskFlags().contains(RiskFlag.PARSE_TIMEOUT), a.riskFlags()::toString);
      assertTrue(millis < 1000, "answered after " + millis + " ms");
      // The pool is still usable afterwards.
      try (PostgresSqlAnalyzer normal = new PostgresSqlAnalyzer()) {
        assertEquals(Set.of(), normal.analyze("SELECT 1", AnalysisContext.DEFAULT).riskFlags());
      }
    }
  }

  @Test
  void nullAndEmptyMessages() {
    assertTrue(
        AnalyzerFixture.ANALYZER
            .analyze(null, AnalysisContext.DEFAULT)
            .riskFlags()
            .contains(RiskFlag.PARSE_FAILURE));
    assertEquals(
        List.of(),
        AnalyzerFixture.ANALYZER.analyze(" ; -- nothing", AnalysisContext.DEFAULT).statements());
  }

  @Test
  void dynamicSqlIsFlagged() {
    assertTrue(
        one("DO $$ BEGIN EXECUTE 'DROP TABLE app.orders'; END $$")
            .riskFlags()
            .contains(RiskFlag.DYNAMIC_SQL));
    // an EXECUTE of a statement this session did not prepare through the gateway
    assertTrue(one("EXECUTE p(1)").riskFlags().contains(RiskFlag.DYNAMIC_SQL));
    // a PREPARE whose statement cannot be found
    assertTrue(one("PREPARE p SELECT 1").riskFlags().contains(RiskFlag.PARSE_FAILURE));
  }

  @Test
  void everyStatementOfAStackIsFlaggedAsPartOfIt() {
    Analysis a =
        AnalyzerFixture.ANALYZER.analyze(
            "SELECT 1; DROP TABLE app.orders", AnalysisContext.DEFAULT);
    assertEquals(2, a.statements().size());
    a.statements().forEach(s -> assertTrue(s.riskFlags().contains(RiskFlag.MULTIPLE_STATEMENTS)));
    assertEquals("DROP TABLE app.orders", a.statements().get(1).sql());
  }
}
