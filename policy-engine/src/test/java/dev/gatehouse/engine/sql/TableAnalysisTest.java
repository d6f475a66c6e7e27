package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.names;
import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Relations read and written, wherever a statement names them. */
class TableAnalysisTest {

  @Test
  void readsThroughJoinsSubqueriesAndLateral() {
    StatementInfo s =
        one(
            "SELECT c.id, (SELECT max(total) FROM app.orders o WHERE o.customer_id = c.id)"
                + " FROM app.customers c JOIN app.payments p ON p.customer_id = c.id,"
                + " LATERAL (SELECT 1 FROM app.refunds r WHERE r.id = p.id) l"
                + " WHERE EXISTS (SELECT 1 FROM app.audit a)");
    assertEquals(
        Set.of("app.audit", "app.customers", "app.orders", "app.payments", "app.refunds"),
        names(s.tablesRead()));
    assertTrue(s.tablesWritten().isEmpty());
    assertEquals(StatementClass.READ, s.statementClass());
  }

  @Test
  void columnQualifiersAndAliasesAreNotTables() {
    StatementInfo s = one("SELECT n.nspname, c.* FROM pg_catalog.pg_class c, pg_namespace n");
    assertEquals(Set.of("pg_catalog.pg_class", "pg_catalog.pg_namespace"), names(s.tablesRead()));
  }

  @Test
  void writesHiddenInCtesAreWrites() {
    StatementInfo s =
        one("WITH gone AS (DELETE FROM app.orders WHERE id = 1 RETURNING *) SELECT * FROM gone");
    assertEquals(Set.of("app.orders"), names(s.tablesWritten()));
    assertEquals(StatementClass.WRITE, s.statementClass());
    assertEquals("SELECT", s.commandTag());
    assertTrue(s.riskFlags().contains(RiskFlag.WRITE_IN_CTE));
    assertFalse(s.riskFlags().contains(RiskFlag.NO_WHERE));
  }

  @Test
  void cteNamesAreNotTablesButShadowedTablesInsideTheirOwnBodyAre() {
    StatementInfo s = one("WITH pg_authid AS (SELECT * FROM pg_authid) SELECT * FROM pg_authid");
    assertEquals(Set.of("pg_catalog.pg_authid"), names(s.tablesRead()));
    assertTrue(s.riskFlags().contains(RiskFlag.CREDENTIAL_CATALOG));
    StatementInfo recursive =
        one("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t");
    assertTrue(recursive.tablesRead().isEmpty(), recursive.tablesRead()::toString);
  }

  @Test
  void selectIntoAndCreateTableAsWriteANewTable() {
    StatementInfo into = one("SELECT * INTO app.stolen FROM app.customers");
    assertEquals(Set.of("app.stolen"), names(into.tablesWritten()));
    assertEquals(Set.of("app.customers"), names(into.tablesRead()));
    assertEquals(StatementClass.DDL, into.statementClass());
    assertTrue(into.riskFlags().contains(RiskFlag.SELECT_INTO));
    StatementInfo ctas = one("CREATE TABLE app.copy AS SELECT * FROM app.customers");
    assertEquals(Set.of("app.copy"), names(ctas.tablesWritten()));
    assertEquals(Set.of("app.customers"), names(ctas.tablesRead()));
    assertEquals("CREATE TABLE", ctas.commandTag());
  }

  @Test
  void lockingReadsAreWrites() {
    for (String mode :
        List.of("UPDATE", "SHARE", "NO KEY UPDATE", "KEY SHARE", "UPDATE SKIP LOCKED")) {
      StatementInfo s = one("SELECT id FROM app.payments FOR " + mode);
      assertEquals(StatementClass.WRITE, s.statementClass(), mode);
      assertTrue(s.riskFlags().contains(RiskFlag.LOCKING_READ), mode);
      assertTrue(!s.riskFlags().contains(RiskFlag.UNCOUNTED_LOCK), mode);
    }
  }

  /**
   * Red-team rounds 56 and 57: rows locked below the top level, or by an upsert's conflict check,
   * are not the rows the tag counts, so a row bound cannot count them; they are flagged apart.
   */
  @Test
  void rowsLockedInASubqueryOrCteAreFlagged() {
    for (String sql :
        List.of(
            "WITH x AS (SELECT id FROM app.orders WHERE id < 5000 FOR UPDATE) SELECT count(*) FROM x",
            "SELECT count(*) FROM (SELECT id FROM app.orders FOR UPDATE) s",
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM app.orders FOR SHARE)",
            "SELECT (SELECT id FROM app.orders LIMIT 1 FOR NO KEY UPDATE)",
            "WITH x AS (SELECT id FROM app.orders FOR KEY SHARE) SELECT id FROM x FOR UPDATE",
            // round 57: every conflicting row is locked before the WHERE is tested
            "INSERT INTO app.orders (id, customer_id, total) SELECT generate_series(1, 5000), 1, 0"
                + " ON CONFLICT (id) DO UPDATE SET total = app.orders.total WHERE false",
            "INSERT INTO app.orders (id, customer_id, total) VALUES (1, 1, 0)"
                + " ON CONFLICT (id) DO UPDATE SET total = 0 WHERE app.orders.id = -1",
            // a join locks a row of each table per row returned; a subquery in FROM takes the lock
            // inside, before the outer WHERE
            "SELECT a.id FROM app.orders a JOIN app.orders b ON b.id = a.id + 1 FOR UPDATE",
            "SELECT a.id FROM app.orders a, app.payments p WHERE p.id = a.id FOR UPDATE OF a",
            "SELECT s.id FROM (SELECT id FROM app.orders OFFSET 0) s WHERE false FOR UPDATE",
            // round 58: rows an OFFSET skips are locked too
            "SELECT id FROM app.orders ORDER BY id OFFSET 4999 FOR UPDATE",
            "SELECT id FROM app.orders ORDER BY id LIMIT 1 OFFSET 4999 FOR SHARE",
            "SELECT id FROM app.orders OFFSET 10 ROWS FETCH FIRST 1 ROW ONLY FOR UPDATE",
            // round 59: WITH TIES locks the first row past the ties, which it drops
            "SELECT id FROM app.orders ORDER BY id FETCH FIRST 100 ROWS WITH TIES FOR UPDATE",
            "SELECT id FROM app.orders ORDER BY id FETCH NEXT 1 ROW WITH TIES FOR NO KEY UPDATE")) {
      StatementInfo s = one(sql);
      assertEquals(StatementClass.WRITE, s.statementClass(), sql);
      assertTrue(s.riskFlags().contains(RiskFlag.UNCOUNTED_LOCK), sql);
    }
    // An upsert that updates every conflicting row counts them in its tag; a LIMIT stops the
    // locking with the rows it returns.
    for (String sql :
        List.of(
            "SELECT id FROM app.orders ORDER BY id LIMIT 10 FOR UPDATE",
            "SELECT id FROM app.orders ORDER BY id FETCH FIRST 10 ROWS ONLY FOR UPDATE",
            "INSERT INTO app.orders (id, customer_id, total) VALUES (1, 1, 0)"
                + " ON CONFLICT (id) DO UPDATE SET total = 0",
            "INSERT INTO app.orders (id, customer_id, total) VALUES (1, 1, 0)"
                + " ON CONFLICT (id) DO NOTHING")) {
      assertTrue(!one(sql).riskFlags().contains(RiskFlag.UNCOUNTED_LOCK), sql);
    }
  }

  @Test
  void dmlTargetsAreWrittenAndSourcesRead() {
    StatementInfo insert = one("INSERT INTO app.orders (customer_id) SELECT id FROM app.customers");
    assertEquals(Set.of("app.orders"), names(insert.tablesWritten()));
    assertEquals(Set.of("app.customers"), names(insert.tablesRead()));
    StatementInfo update =
        one("UPDATE app.payments p SET status = 'x' FROM app.orders o WHERE o.id = p.id");
    assertEquals(Set.of("app.payments"), names(update.tablesWritten()));
    assertEquals(Set.of("app.orders"), names(update.tablesRead()));
    StatementInfo merge =
        one(
            "MERGE INTO app.payments p USING app.staging s ON p.id = s.id"
                + " WHEN MATCHED THEN UPDATE SET status = s.status");
    assertEquals(Set.of("app.payments"), names(merge.tablesWritten()));
    assertEquals(Set.of("app.staging"), names(merge.tablesRead()));
  }

  @Test
  void unqualifiedNamesResolveAgainstTheSearchPath() {
    AnalysisContext app = new AnalysisContext(List.of("\"$user\"", "app", "public"));
    assertEquals(Set.of("app.orders"), names(one("SELECT * FROM orders", app).tablesRead()));
    assertEquals(Set.of("public.orders"), names(one("SELECT * FROM orders").tablesRead()));
    // pg_catalog is searched first, so catalog names resolve there whatever the path says.
    assertEquals(
        Set.of("pg_catalog.pg_class"), names(one("SELECT * FROM pg_class", app).tablesRead()));
    StatementInfo authid = one("SELECT * FROM pg_authid", app);
    assertEquals(Set.of("pg_catalog.pg_authid"), names(authid.tablesRead()));
    assertTrue(authid.riskFlags().contains(RiskFlag.CREDENTIAL_CATALOG));
  }

  @Test
  void quotedNamesKeepCaseAndUnquotedFold() {
    assertEquals(
        Set.of("App.Orders", "app.orders"),
        names(one("SELECT * FROM \"App\".\"Orders\", APP.ORDERS").tablesRead()));
    assertEquals(
        Set.of("app.customers"),
        names(one("SELECT * FROM U&\"app\".U&\"c\\0075stomers\"").tablesRead()));
  }

  @Test
  void ddlWritesWhatItNames() {
    assertEquals(Set.of("app.orders"), names(one("DROP TABLE app.orders").tablesWritten()));
    assertEquals(
        Set.of("app.orders"),
        names(one("ALTER TABLE app.orders ADD COLUMN x int").tablesWritten()));
    assertEquals(
        Set.of("app.orders", "app.payments"),
        names(
            one("TRUNCATE TABLE app.orders, ONLY app.payments RESTART IDENTITY CASCADE")
                .tablesWritten()));
    assertEquals(
        Set.of("app.*", "Other.*"),
        names(one("DROP SCHEMA app, \"Other\" CASCADE").tablesWritten()));
    assertEquals(Set.of("evil.*"), names(one("CREATE SCHEMA evil").tablesWritten()));
    StatementInfo view = one("CREATE VIEW app.v AS SELECT * FROM app.customers");
    assertEquals(Set.of("app.v"), names(view.tablesWritten()));
    assertEquals(Set.of("app.customers"), names(view.tablesRead()));
  }

  @Test
  void tableQueryIsARead() {
    StatementInfo s = one("SELECT * FROM (TABLE app.customers) x");
    assertEquals(Set.of("app.customers"), names(s.tablesRead()));
    assertEquals(StatementClass.READ, s.statementClass());
  }
}
