package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What ordinary clients send on their own (psql's backslash commands, pgjdbc's connection setup and
 * DatabaseMetaData) must be allowed for a reader: a false denial is a defect too.
 */
class ClientQueriesTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
  private static final RulePolicyEvaluator evaluator =
      new RulePolicyEvaluator(ReferencePolicy.load());

  @AfterAll
  static void close() {
    analyzer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // pgjdbc: Connection.setReadOnly(true), setTransactionIsolation, setAutoCommit(false)
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
        "BEGIN READ ONLY",
        "SHOW TRANSACTION ISOLATION LEVEL",
        "SELECT current_schema()",
        "SELECT version()",
        // pgjdbc DatabaseMetaData.getTables (abridged) and getColumns-style catalog reads
        "SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,"
            + " CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema' WHEN true THEN"
            + " CASE WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN"
            + " CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' ELSE NULL END ELSE NULL END"
            + " ELSE CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'v' THEN 'VIEW' ELSE NULL END END"
            + " AS TABLE_TYPE, d.description AS REMARKS FROM pg_catalog.pg_namespace n,"
            + " pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid"
            + " AND d.objsubid = 0 AND d.classoid = 'pg_class'::regclass) WHERE c.relnamespace ="
            + " n.oid AND n.nspname LIKE 'app' ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME",
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
            + " pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,"
            + " row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum"
            + " FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef def"
            + " ON (a.attrelid = def.adrelid AND a.attnum = def.adnum)"
            + " WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid = 'app.orders'::regclass",
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'app'",
        // psql \d orders, with the operator form psql uses
        "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN"
            + " pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname"
            + " OPERATOR(pg_catalog.~) '^(orders)$' COLLATE pg_catalog.default AND"
            + " pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3",
        "SELECT coalesce(sum(total), 0), greatest(max(total), 0) FROM app.orders",
        "SET application_name = 'psql'",
        "SET search_path TO app, pg_catalog",
      })
  void readerClientsAreAllowed(String sql) {
    Decision d =
        evaluator.evaluate(
            ReferencePolicy.principal(ReferencePrincipal.ANALYST),
            analyzer.analyze(sql, AnalysisContext.DEFAULT),
            new RequestContext(Channel.WIRE, "shop", "client", "127.0.0.1", Instant.now()));
    assertEquals(Effect.ALLOW, d.effect(), () -> sql + "\n" + d.explanation());
  }
}
