package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.names;
import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lexer's normalizations before parsing change neither the relations nor the functions a
 * statement touches: each psql catalog query gives the same analysis as its plain-operator twin.
 */
class NormalizationTest {

  /** What psql 16 sends for {@code \d orders}, {@code \dt}, {@code \dn} and {@code \df}. */
  static Stream<Arguments> psqlQueries() {
    return Stream.of(
        Arguments.of(
            "\\d orders",
            """
            SELECT c.oid,
              n.nspname,
              c.relname
            FROM pg_catalog.pg_class c
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname OPERATOR(pg_catalog.~) '^(orders)$' COLLATE pg_catalog.default
              AND pg_catalog.pg_table_is_visible(c.oid)
            ORDER BY 2, 3""",
            Set.of("pg_catalog.pg_class", "pg_catalog.pg_namespace"),
            Set.of("pg_table_is_visible")),
        Arguments.of(
            "\\dt app.*",
            """
            SELECT n.nspname as "Schema",
              c.relname as "Name",
              CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'p' THEN 'partitioned table' END as "Type",
              pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
            FROM pg_catalog.pg_class c
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
            WHERE c.relkind IN ('r','p','')
              AND n.nspname OPERATOR(pg_catalog.~) '^(app)$' COLLATE pg_catalog.default
            ORDER BY 1,2""",
            Set.of("pg_catalog.pg_class", "pg_catalog.pg_namespace", "pg_catalog.pg_am"),
            Set.of("pg_get_userbyid")),
        Arguments.of(
            "\\dn",
            """
            SELECT n.nspname AS "Name",
              pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"
            FROM pg_catalog.pg_namespace n
            WHERE n.nspname OPERATOR(pg_catalog.!~) '^pg_' AND n.nspname OPERATOR(pg_catalog.<>) 'information_schema'
            ORDER BY 1""",
            Set.of("pg_catalog.pg_namespace"),
            Set.of("pg_get_userbyid")),
        Arguments.of(
            "\\df app.*",
            """
            SELECT n.nspname as "Schema",
              p.proname as "Name",
              pg_catalog.pg_get_function_result(p.oid) as "Result data type",
              pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types"
            FROM pg_catalog.pg_proc p
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname OPERATOR(pg_catalog.~) '^(app)$' COLLATE pg_catalog.default
            ORDER BY 1, 2, 4""",
            Set.of("pg_catalog.pg_proc", "pg_catalog.pg_namespace"),
            Set.of("pg_get_function_result", "pg_get_function_arguments")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("psqlQueries")
  void psqlOperatorFormChangesNothing(
      String command, String sql, Set<String> tables, Set<String> functions) {
    StatementInfo psql = one(sql);
    String plain = sql.replaceAll("OPERATOR\\(pg_catalog\\.([^)]+)\\)", "$1");
    StatementInfo twin = one(plain);
    assertEquals(tables, names(psql.tablesRead()), command);
    assertEquals(functions, psql.functions(), command);
    assertEquals(twin.tablesRead(), psql.tablesRead(), command);
    assertEquals(twin.functions(), psql.functions(), command);
    assertEquals(twin.riskFlags(), psql.riskFlags(), command);
    assertEquals(Set.of(), psql.riskFlags(), command);
    assertEquals(StatementClass.READ, psql.statementClass(), command);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "SELECT * FROM (TABLE app.customers) t WHERE upper(t.email) = 'X'",
        "SELECT 0x10 + 1_000, upper(E'a\\'b') FROM app.customers",
        "SELECT upper(U&'\\0041') FROM app.customers /* c */ -- x",
        "SELECT upper($q$a'b$q$) FROM app.customers",
      })
  void otherNormalizationsKeepTablesAndFunctions(String sql) {
    StatementInfo s = one(sql);
    assertEquals(Set.of("app.customers"), names(s.tablesRead()), sql);
    assertTrue(s.functions().contains("upper"), sql);
    assertEquals(Set.of(), s.riskFlags(), sql);
  }

  @org.junit.jupiter.api.Test
  void operatorOfAnotherSchemaFailsClosed() {
    StatementInfo s = one("SELECT 1 FROM app.t WHERE a OPERATOR(evil.~) 'x'");
    assertTrue(
        s.riskFlags().contains(RiskFlag.PARSE_FAILURE)
            || s.riskFlags().contains(RiskFlag.UNSUPPORTED_STATEMENT),
        s.riskFlags()::toString);
  }
}
