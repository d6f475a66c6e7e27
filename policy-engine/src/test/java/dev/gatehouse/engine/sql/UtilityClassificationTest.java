package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.names;
import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Statements JSqlParser cannot parse are classified from tokens. */
class UtilityClassificationTest {

  static Stream<Arguments> statements() {
    return Stream.of(
        Arguments.of("BEGIN", "BEGIN", StatementClass.TRANSACTION, Set.of()),
        Arguments.of(
            "BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE",
            "BEGIN",
            StatementClass.TRANSACTION,
            Set.of(RiskFlag.READ_WRITE_TRANSACTION)),
        Arguments.of(
            "START TRANSACTION READ ONLY",
            "START TRANSACTION",
            StatementClass.TRANSACTION,
            Set.of()),
        Arguments.of(
            "START TRANSACTION READ WRITE",
            "START TRANSACTION",
            StatementClass.TRANSACTION,
            Set.of(RiskFlag.READ_WRITE_TRANSACTION)),
        Arguments.of("COMMIT", "COMMIT", StatementClass.TRANSACTION, Set.of()),
        Arguments.of("END", "COMMIT", StatementClass.TRANSACTION, Set.of()),
        Arguments.of("ABORT", "ROLLBACK", StatementClass.TRANSACTION, Set.of()),
        Arguments.of("ROLLBACK TO SAVEPOINT a", "ROLLBACK", StatementClass.TRANSACTION, Set.of()),
        Arguments.of("SAVEPOINT a", "SAVEPOINT", StatementClass.TRANSACTION, Set.of()),
        Arguments.of("RELEASE SAVEPOINT a", "RELEASE", StatementClass.TRANSACTION, Set.of()),
        Arguments.of("COMMIT PREPARED 'x'", "COMMIT PREPARED", StatementClass.ADMIN, Set.of()),
        Arguments.of(
            "SET TRANSACTION READ WRITE",
            "SET",
            StatementClass.TRANSACTION,
            Set.of(RiskFlag.READ_WRITE_TRANSACTION)),
        Arguments.of(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "SET",
            StatementClass.TRANSACTION,
            Set.of()),
        Arguments.of(
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
            "SET",
            StatementClass.SESSION,
            Set.of(RiskFlag.SETTING_CHANGE, RiskFlag.READ_WRITE_TRANSACTION)),
        Arguments.of(
            "SET ROLE postgres",
            "SET",
            StatementClass.SESSION,
            Set.of(RiskFlag.SETTING_CHANGE, RiskFlag.ROLE_CHANGE)),
        Arguments.of(
            "SET SESSION AUTHORIZATION postgres",
            "SET",
            StatementClass.SESSION,
            Set.of(RiskFlag.SETTING_CHANGE, RiskFlag.ROLE_CHANGE)),
        Arguments.of(
            "RESET ROLE",
            "RESET",
            StatementClass.SESSION,
            Set.of(RiskFlag.SETTING_CHANGE, RiskFlag.ROLE_CHANGE)),
        Arguments.of("SHOW ALL", "SHOW", StatementClass.READ, Set.of()),
        Arguments.of("COPY app.orders FROM STDIN", "COPY", StatementClass.WRITE, Set.of()),
        Arguments.of(
            "COPY app.orders (id, total) TO STDOUT WITH (FORMAT csv)",
            "COPY",
            StatementClass.READ,
            Set.of()),
        Arguments.of(
            "COPY app.orders TO '/tmp/x'", "COPY", StatementClass.READ, Set.of(RiskFlag.COPY_FILE)),
        Arguments.of(
            "COPY app.orders FROM '/tmp/x'",
            "COPY",
            StatementClass.WRITE,
            Set.of(RiskFlag.COPY_FILE)),
        Arguments.of(
            "COPY app.orders FROM PROGRAM 'id'",
            "COPY",
            StatementClass.WRITE,
            Set.of(RiskFlag.COPY_PROGRAM)),
        Arguments.of(
            "COPY (SELECT 1) TO PROGRAM 'id'",
            "COPY",
            StatementClass.READ,
            Set.of(RiskFlag.COPY_PROGRAM)),
        Arguments.of("VACUUM (ANALYZE) app.orders", "VACUUM", StatementClass.ADMIN, Set.of()),
        Arguments.of("ANALYZE app.orders", "ANALYZE", StatementClass.ADMIN, Set.of()),
        Arguments.of("LISTEN ch", "LISTEN", StatementClass.SESSION, Set.of()),
        Arguments.of("UNLISTEN *", "UNLISTEN", StatementClass.SESSION, Set.of()),
        Arguments.of("NOTIFY ch, 'x'", "NOTIFY", StatementClass.WRITE, Set.of()),
        // judged as the statement it prepares; an EXECUTE of it is that statement (PreparedSqlTest)
        Arguments.of("PREPARE p AS SELECT 1", "PREPARE", StatementClass.READ, Set.of()),
        Arguments.of("EXECUTE p", "EXECUTE", StatementClass.UNKNOWN, Set.of(RiskFlag.DYNAMIC_SQL)),
        Arguments.of("DEALLOCATE ALL", "DEALLOCATE", StatementClass.SESSION, Set.of()),
        Arguments.of("DISCARD TEMP", "DISCARD", StatementClass.SESSION, Set.of()),
        Arguments.of("DISCARD ALL", "DISCARD ALL", StatementClass.SESSION, Set.of()),
        Arguments.of(
            "LOCK TABLE app.orders IN ACCESS EXCLUSIVE MODE",
            "LOCK TABLE",
            StatementClass.WRITE,
            Set.of(RiskFlag.LOCKING_READ)),
        // the lock a SELECT takes (pg_dump's): a read
        Arguments.of(
            "LOCK TABLE app.orders IN ACCESS SHARE MODE",
            "LOCK TABLE",
            StatementClass.READ,
            Set.of()),
        Arguments.of(
            "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM app.orders",
            "DECLARE CURSOR",
            StatementClass.READ,
            Set.of()),
        Arguments.of(
            "FETCH 10 FROM c",
            "FETCH",
            StatementClass.SESSION,
            Set.of(RiskFlag.OPAQUE_LINEAGE, RiskFlag.UNDECLARED_CURSOR)),
        // a cursor not declared here may be a protocol portal of any statement (red-team round 19)
        Arguments.of(
            "MOVE NEXT IN c", "MOVE", StatementClass.SESSION, Set.of(RiskFlag.UNDECLARED_CURSOR)),
        Arguments.of("CLOSE c", "CLOSE CURSOR", StatementClass.SESSION, Set.of()),
        Arguments.of(
            "DO $$ BEGIN NULL; END $$", "DO", StatementClass.UNKNOWN, Set.of(RiskFlag.DYNAMIC_SQL)),
        Arguments.of("EXPLAIN SELECT 1", "EXPLAIN", StatementClass.READ, Set.of()),
        Arguments.of(
            "EXPLAIN (ANALYZE, BUFFERS) DELETE FROM app.t WHERE id = 1",
            "EXPLAIN",
            StatementClass.WRITE,
            Set.of(RiskFlag.EXPLAIN_ANALYZE)),
        Arguments.of(
            "EXPLAIN (ANALYZE false) DELETE FROM app.t", "EXPLAIN", StatementClass.READ, Set.of()),
        Arguments.of(
            "EXPLAIN ANALYZE VERBOSE SELECT 1",
            "EXPLAIN",
            StatementClass.READ,
            Set.of(RiskFlag.EXPLAIN_ANALYZE)),
        Arguments.of(
            "ALTER SYSTEM SET log_statement = 'none'",
            "ALTER SYSTEM",
            StatementClass.ADMIN,
            Set.of(RiskFlag.SETTING_CHANGE)),
        Arguments.of(
            "CREATE ROLE evil LOGIN SUPERUSER", "CREATE ROLE", StatementClass.ADMIN, Set.of()),
        Arguments.of(
            "CREATE EXTENSION IF NOT EXISTS dblink",
            "CREATE EXTENSION",
            StatementClass.ADMIN,
            Set.of()),
        Arguments.of("GRANT ALL ON app.customers TO PUBLIC", "GRANT", StatementClass.DDL, Set.of()),
        Arguments.of(
            "GRANT pg_read_server_files TO analyst", "GRANT ROLE", StatementClass.ADMIN, Set.of()),
        Arguments.of(
            "CREATE UNIQUE INDEX i ON app.orders (id)",
            "CREATE INDEX",
            StatementClass.DDL,
            Set.of()),
        Arguments.of(
            "DROP MATERIALIZED VIEW app.m",
            "DROP MATERIALIZED VIEW",
            StatementClass.DDL,
            Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void classifies(String sql, String tag, StatementClass statementClass, Set<RiskFlag> flags) {
    StatementInfo s = one(sql);
    assertEquals(tag, s.commandTag(), sql);
    assertEquals(statementClass, s.statementClass(), sql);
    assertEquals(flags, s.riskFlags(), sql);
  }

  @Test
  void settingsAreRecordedWithTheirValues() {
    assertEquals(Map.of("search_path", "evil, app"), one("SET search_path = evil, app").settings());
    assertEquals(Map.of("search_path", "app"), one("SET LOCAL search_path TO 'app'").settings());
    assertEquals(Map.of("search_path", "app"), one("SET SCHEMA 'app'").settings());
    assertEquals(Map.of("role", "postgres"), one("SET ROLE postgres").settings());
    assertEquals(
        Map.of("session_authorization", "postgres"),
        one("SET SESSION AUTHORIZATION postgres").settings());
    assertEquals(Map.of("timezone", "utc"), one("SET TIME ZONE UTC").settings());
    assertEquals(Map.of("myapp.user_id", "42"), one("SET myapp.user_id = 42").settings());
    assertEquals(Map.of("statement_timeout", "default"), one("RESET statement_timeout").settings());
    assertEquals(Map.of("all", "default"), one("RESET ALL").settings());
    assertEquals(
        Map.of("alter_system", "set log_statement = none"),
        one("ALTER SYSTEM SET log_statement = 'none'").settings());
    assertEquals(
        Map.of("default_transaction_read_only", "off"),
        one("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE").settings());
  }

  @Test
  void copyRecordsWhatItReadsAndWrites() {
    assertEquals(Set.of("app.customers"), names(one("COPY app.customers TO STDOUT").tablesRead()));
    assertEquals(Set.of("app.orders"), names(one("COPY app.orders FROM STDIN").tablesWritten()));
    StatementInfo query =
        one("COPY (SELECT * FROM app.customers c JOIN app.orders o ON true) TO STDOUT");
    assertEquals(Set.of("app.customers", "app.orders"), names(query.tablesRead()));
    StatementInfo returning = one("COPY (DELETE FROM app.orders RETURNING *) TO STDOUT");
    assertEquals(StatementClass.WRITE, returning.statementClass());
    assertTrue(returning.riskFlags().contains(RiskFlag.NO_WHERE));
  }

  @Test
  void preparedStatementsAreAnalysedAsTheirStatement() {
    StatementInfo s = one("PREPARE p (int) AS DELETE FROM app.orders WHERE id = $1");
    assertEquals(Set.of("app.orders"), names(s.tablesWritten()));
    assertEquals(StatementClass.WRITE, s.statementClass());
    assertFalse(s.riskFlags().contains(RiskFlag.DYNAMIC_SQL));
  }

  @Test
  void callRecordsTheProcedureAndItsArguments() {
    assertEquals(Set.of("app.proc", "pg_sleep"), one("CALL app.proc(1, pg_sleep(1))").functions());
  }

  @Test
  void explainWithoutAnalyzeOnlyReads() {
    StatementInfo s = one("EXPLAIN DELETE FROM app.orders");
    assertEquals(Set.of("app.orders"), names(s.tablesRead()));
    assertTrue(s.tablesWritten().isEmpty());
    assertEquals(Set.of(), s.riskFlags());
  }
}
