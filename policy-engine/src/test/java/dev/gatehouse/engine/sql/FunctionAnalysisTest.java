package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every function call is found, wherever it stands, under its normalized name. */
class FunctionAnalysisTest {

  static Stream<Arguments> positions() {
    return Stream.of(
        Arguments.of("select list", "SELECT pg_sleep(1)"),
        Arguments.of("FROM", "SELECT * FROM pg_sleep(1)"),
        Arguments.of("FROM with alias", "SELECT * FROM pg_sleep(1) AS t(x)"),
        Arguments.of(
            "ROWS FROM", "SELECT * FROM ROWS FROM (generate_series(1, 2), pg_sleep(1)) AS t(a, b)"),
        Arguments.of("WHERE", "SELECT 1 FROM app.t WHERE pg_sleep(1) IS NULL"),
        Arguments.of("JOIN ON", "SELECT 1 FROM app.t a JOIN app.u b ON pg_sleep(1) IS NULL"),
        Arguments.of("ORDER BY", "SELECT id FROM app.t ORDER BY (pg_sleep(1) IS NULL)"),
        Arguments.of("GROUP BY", "SELECT 1 FROM app.t GROUP BY pg_sleep(1)"),
        Arguments.of("HAVING", "SELECT 1 FROM app.t GROUP BY id HAVING pg_sleep(1) IS NULL"),
        Arguments.of("scalar subquery", "SELECT (SELECT pg_sleep(1))"),
        Arguments.of("IN subquery", "SELECT 1 WHERE 1 IN (SELECT 1 FROM pg_sleep(1))"),
        Arguments.of("CTE", "WITH x AS (SELECT pg_sleep(1)) SELECT * FROM x"),
        Arguments.of("VALUES", "VALUES (1, pg_sleep(1))"),
        Arguments.of("CASE", "SELECT CASE WHEN true THEN pg_sleep(1) END"),
        Arguments.of("nested call", "SELECT coalesce(upper(lower(pg_sleep(1)::text)), 'x')"),
        Arguments.of("window", "SELECT sum(x) OVER (ORDER BY pg_sleep(1)) FROM app.t"),
        Arguments.of("LATERAL", "SELECT * FROM app.t, LATERAL (SELECT pg_sleep(1)) l"),
        Arguments.of("UNION branch", "SELECT 1 UNION SELECT pg_sleep(1)::int"),
        Arguments.of("INSERT VALUES", "INSERT INTO app.t (a) VALUES (pg_sleep(1))"),
        Arguments.of("UPDATE SET", "UPDATE app.t SET a = pg_sleep(1) WHERE id = 1"),
        Arguments.of("RETURNING", "DELETE FROM app.t WHERE id = 1 RETURNING pg_sleep(1)"),
        Arguments.of("cast argument", "SELECT CAST(pg_sleep(1) AS text)"),
        Arguments.of("quoted name", "SELECT \"pg_sleep\"(1)"),
        Arguments.of("upper case", "SELECT PG_SLEEP(1)"),
        Arguments.of("pg_catalog qualified", "SELECT pg_catalog.pg_sleep(1)"),
        Arguments.of("unicode escape", "SELECT U&\"pg_sl\\0065ep\"(1)"),
        Arguments.of("COPY query", "COPY (SELECT pg_sleep(1)) TO STDOUT"),
        Arguments.of("EXPLAIN", "EXPLAIN SELECT pg_sleep(1)"),
        Arguments.of("cursor", "DECLARE c CURSOR FOR SELECT pg_sleep(1)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positions")
  void functionIsFoundIn(String position, String sql) {
    StatementInfo s = one(sql);
    assertTrue(s.functions().contains("pg_sleep"), () -> position + ": " + s.functions());
    assertTrue(s.riskFlags().contains(RiskFlag.DANGEROUS_FUNCTION), position);
  }

  @org.junit.jupiter.api.Test
  void otherSchemasAreKeptAndMarkedUnknown() {
    StatementInfo s = one("SELECT app.customer_email(1), \"App\".\"F\"(2), upper('x')");
    assertEquals(
        AnalyzerFixture.sorted(java.util.Set.of("app.customer_email", "App.F", "upper")),
        AnalyzerFixture.sorted(s.functions()));
    assertTrue(s.riskFlags().contains(RiskFlag.UNKNOWN_FUNCTION));
    assertTrue(!one("SELECT upper('x'), now()").riskFlags().contains(RiskFlag.UNKNOWN_FUNCTION));
  }

  @org.junit.jupiter.api.Test
  void sqlSyntaxWrittenLikeCallsIsNotAnUnknownFunction() {
    StatementInfo s =
        one(
            "SELECT coalesce(a, greatest(1, 2)), nullif(a, 0), ARRAY(SELECT 1), row(1, 2),"
                + " xmlelement(name x, 'y') FROM app.t WHERE a = ANY(ARRAY[1]) GROUP BY ROLLUP (a)");
    assertTrue(!s.riskFlags().contains(RiskFlag.UNKNOWN_FUNCTION), s::toString);
  }

  @org.junit.jupiter.api.Test
  void literalsThatLookLikeFunctionsAreNot() {
    assertTrue(one("SELECT 'pg_sleep(1)' AS s").functions().isEmpty());
    assertTrue(one("SELECT $$pg_sleep(1)$$").functions().isEmpty());
  }

  @org.junit.jupiter.api.Test
  void setConfigIsASettingChange() {
    StatementInfo s = one("SELECT set_config('search_path', 'evil', false)");
    assertEquals(java.util.Map.of("search_path", "evil"), s.settings());
    assertTrue(s.riskFlags().contains(RiskFlag.SETTING_CHANGE));
    StatementInfo dynamic = one("SELECT set_config(name, 'x', false) FROM app.t");
    assertEquals(java.util.Map.of("?", "x"), dynamic.settings());
  }
}
