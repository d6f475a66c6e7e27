package dev.gatehouse.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingSqlAnalyzerTest {

  private final CachingSqlAnalyzer cache = new CachingSqlAnalyzer(AnalyzerFixture.ANALYZER, 3);

  @Test
  void literalsShareAnEntryAndTheAnalysisCarriesTheNewText() {
    Analysis first =
        cache.analyze("SELECT * FROM app.orders WHERE id = 1", AnalysisContext.DEFAULT);
    Analysis second =
        cache.analyze("select * from app.orders where id = 2", AnalysisContext.DEFAULT);
    assertEquals(1, cache.stats()[0]);
    assertEquals("select * from app.orders where id = 2", second.sql());
    assertEquals("select * from app.orders where id = 2", second.statements().getFirst().sql());
    assertEquals(
        first.statements().getFirst().tablesRead(), second.statements().getFirst().tablesRead());
    assertEquals(AnalyzerFixture.ANALYZER.analyze(second.sql(), AnalysisContext.DEFAULT), second);
  }

  @Test
  void literalsThatDecideAreNeverServedFromTheCache() {
    Analysis always = cache.analyze("DELETE FROM app.orders WHERE 1 = 1", AnalysisContext.DEFAULT);
    Analysis never = cache.analyze("DELETE FROM app.orders WHERE 1 = 2", AnalysisContext.DEFAULT);
    assertTrue(always.riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE));
    assertTrue(!never.riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE));
    Analysis app = cache.analyze("SET search_path = 'app'", AnalysisContext.DEFAULT);
    Analysis evil = cache.analyze("SET search_path = 'evil'", AnalysisContext.DEFAULT);
    assertEquals("evil", evil.statements().getFirst().settings().get("search_path"));
    assertEquals("app", app.statements().getFirst().settings().get("search_path"));
    assertEquals(0, cache.stats()[0]);
  }

  /**
   * Red-team round 61: whether a replace over a masked column may grow the value is read from its
   * literals, so the shrinking spelling's analysis is not served to the growing one.
   */
  @Test
  void aReplacementsLengthIsNeverSharedByShape() {
    Analysis shrinks =
        cache.analyze("SELECT replace(ssn, '-', '') FROM app.customers", AnalysisContext.DEFAULT);
    Analysis grows =
        cache.analyze(
            "SELECT replace(ssn, '-', 'xxxxxxxx') FROM app.customers", AnalysisContext.DEFAULT);
    assertTrue(shrinks.statements().getFirst().uses().isEmpty());
    assertTrue(
        grows.statements().getFirst().uses().stream()
            .anyMatch(u -> u.expression().startsWith("replace(")),
        grows.statements().getFirst().uses().toString());
    assertEquals(0, cache.stats()[0]);
  }

  @Test
  void aWriteRestrictedByATargetColumnAndALiteralIsSharedAcrossItsLiterals() {
    // issue 15: every write was analysed afresh. A conjunct `column = literal` keeps the every-row
    // check from finding every row whatever the literals, so its spellings share one analysis.
    for (String[] pair :
        new String[][] {
          {
            "UPDATE app.payments SET status = 'a' WHERE id = 1",
            "UPDATE app.payments SET status = 'b' WHERE id = 2"
          },
          {
            "DELETE FROM app.orders WHERE 1 = 1 AND id = 7",
            "DELETE FROM app.orders WHERE 1 = 2 AND id = 8"
          },
          {
            "DELETE FROM app.orders o WHERE (o.id = -5)",
            "DELETE FROM app.orders o WHERE (o.id = -6)"
          }
        }) {
      Analysis second = secondOfPair(pair, 1);
      assertTrue(!second.riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), pair[1]);
    }
  }

  @Test
  void aWriteWhoseLiteralsMayMakeItEveryRowIsNeverShared() {
    for (String[] pair :
        new String[][] {
          // no conjunct compares a target column with a literal
          {
            "DELETE FROM app.orders WHERE id = 1 OR 1 = 2",
            "DELETE FROM app.orders WHERE id = 1 OR 1 = 1"
          },
          {
            "DELETE FROM app.orders WHERE id > 5 OR id <= 4",
            "DELETE FROM app.orders WHERE id > 5 OR id <= 5"
          },
          {
            "DELETE FROM app.orders WHERE NOT (id = 1 AND 1 = 1)",
            "DELETE FROM app.orders WHERE NOT (id = 1 AND 1 = 2)"
          },
          // the column is another table's
          {
            "DELETE FROM app.orders WHERE app.payments.id = 1 AND 1 = 2",
            "DELETE FROM app.orders WHERE app.payments.id = 1 AND 1 = 1"
          },
          // beside another relation an unqualified column may be its (red-team round 25)
          {
            "UPDATE app.payments SET status = 'x' FROM (VALUES (1)) v(k) WHERE k = 1 AND 1 = 2",
            "UPDATE app.payments SET status = 'x' FROM (VALUES (1)) v(k) WHERE k = 1 AND 1 = 1"
          },
          // a range or `<>` may hold for every value with some literals (red-team round 27)
          {
            "DELETE FROM app.orders o WHERE o.id <= -5",
            "DELETE FROM app.orders o WHERE o.id <= 2147483647"
          },
          {
            "DELETE FROM app.orders WHERE id <> 5 AND id > 1",
            "DELETE FROM app.orders WHERE id <> 5.5 AND id > -2147483649"
          },
          // a value function, not a column
          {
            "DELETE FROM app.orders WHERE current_user = 'a'",
            "DELETE FROM app.orders WHERE current_user = 'b'"
          }
        }) {
      secondOfPair(pair, 0);
    }
  }

  /**
   * Analyses both statements through a new cache and returns the second's analysis, after checking
   * that the cache was hit {@code hits} times and gave what a fresh analysis gives.
   */
  private static Analysis secondOfPair(String[] pair, long hits) {
    CachingSqlAnalyzer c = new CachingSqlAnalyzer(AnalyzerFixture.ANALYZER, 8);
    c.analyze(pair[0], AnalysisContext.DEFAULT);
    Analysis second = c.analyze(pair[1], AnalysisContext.DEFAULT);
    assertEquals(hits, c.stats()[0], pair[1]);
    assertEquals(AnalyzerFixture.ANALYZER.analyze(pair[1], AnalysisContext.DEFAULT), second);
    return second;
  }

  @Test
  void optionValuesThatDecideAreNeverServedFromTheCache() {
    Analysis planOnly =
        cache.analyze("EXPLAIN (ANALYZE 0) DELETE FROM app.orders", AnalysisContext.DEFAULT);
    Analysis runs =
        cache.analyze("EXPLAIN (ANALYZE 1) DELETE FROM app.orders", AnalysisContext.DEFAULT);
    assertEquals(StatementClass.READ, planOnly.statements().getFirst().statementClass());
    assertEquals(StatementClass.WRITE, runs.statements().getFirst().statementClass());
    assertTrue(runs.riskFlags().contains(RiskFlag.EXPLAIN_ANALYZE));
  }

  @Test
  void outputPositionsAreNeverServedFromTheCacheWhateverSitsBetween() {
    // red-team round 12: `ORDER/**/BY 1` cached, then `ORDER/**/BY 2` got its analysis
    for (String[] pair :
        new String[][] {
          {"SELECT id, ssn FROM app.customers ORDER/**/BY 1", "... ORDER/**/BY 2"},
          {"SELECT id, ssn FROM app.customers ORDER BY id >= 0,/**/1", "..."},
          {"SELECT id, ssn FROM app.customers ORDER BY (1)", "..."},
          {"SELECT DISTINCT ON (/**/1) id, ssn FROM app.customers", "..."},
          {"SELECT left(ssn, 1), count(*) FROM app.customers GROUP -- x\n BY 1", "..."},
          {"SELECT 'x' AS a, ssn FROM app.customers GROUP BY GROUPING SETS ((1))", "..."}
        }) {
      CachingSqlAnalyzer c = new CachingSqlAnalyzer(AnalyzerFixture.ANALYZER, 8);
      c.analyze(pair[0], AnalysisContext.DEFAULT);
      c.analyze(pair[0].replace("1", "2"), AnalysisContext.DEFAULT);
      assertEquals(0, c.stats()[0], pair[0]);
    }
    // a LIMIT or a comparison after ORDER BY is no position: still cached
    CachingSqlAnalyzer c = new CachingSqlAnalyzer(AnalyzerFixture.ANALYZER, 8);
    c.analyze(
        "SELECT id FROM app.orders WHERE id > 1 ORDER BY id LIMIT 5", AnalysisContext.DEFAULT);
    c.analyze(
        "SELECT id FROM app.orders WHERE id > 2 ORDER BY id LIMIT 6", AnalysisContext.DEFAULT);
    assertEquals(1, c.stats()[0]);
  }

  @Test
  void timeoutsAreNeverCached() {
    try (PostgresSqlAnalyzer hasty =
        new PostgresSqlAnalyzer(
            new PostgresSqlAnalyzer.Limits(
                1 << 20,
                10,
                100_000,
                400,
                java.time.Duration.ofMillis(1),
                1,
                1,
                java.time.Duration.ofMinutes(1)))) {
      CachingSqlAnalyzer c = new CachingSqlAnalyzer(hasty, 8);
      // Nested parentheses are the parser's slowest input: 390 levels, within this nesting bound,
      // take far longer than 1 ms even once the parser is warm (190 nested calls did not, in CI).
      String sql = "SELECT " + "(".repeat(390) + "1" + ")".repeat(390) + " FROM app.t";
      assertTrue(
          c.analyze(sql, AnalysisContext.DEFAULT).riskFlags().contains(RiskFlag.PARSE_TIMEOUT));
      assertEquals(0, c.size());
    }
  }

  @Test
  void theSearchPathIsPartOfTheKey() {
    Analysis pub = cache.analyze("SELECT * FROM orders", AnalysisContext.DEFAULT);
    Analysis app = cache.analyze("SELECT * FROM orders", new AnalysisContext(List.of("app")));
    assertEquals(
        "public.orders", pub.statements().getFirst().tablesRead().iterator().next().qualified());
    assertEquals(
        "app.orders", app.statements().getFirst().tablesRead().iterator().next().qualified());
  }

  @Test
  void theCacheIsBounded() {
    for (int i = 0; i < 10; i++) {
      cache.analyze("SELECT c" + i + " FROM app.t", AnalysisContext.DEFAULT);
    }
    assertEquals(3, cache.size());
  }
}
