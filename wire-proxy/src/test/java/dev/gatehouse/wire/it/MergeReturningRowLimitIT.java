package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code MERGE … RETURNING} (PostgreSQL 17, a server of its own from zonky's binaries) under a
 * writer's row limit of 1, as ReturningRowLimitIT for the other writes: simple and extended
 * protocol, autocommit and the client's transaction, with the blast-radius bound and without.
 */
class MergeReturningRowLimitIT {

  private static final AtomicInteger NEXT = new AtomicInteger(100);

  static TestPostgres pg;
  static ProxyFixture bounded;
  static ProxyFixture unbounded;
  static String boundedDb;
  static String unboundedDb;

  @BeforeAll
  static void start() {
    Path jar = Path.of("target/postgres-17/postgres-17-binaries.jar");
    assertThat(jar).as("run through Maven: it copies the binaries").exists();
    pg = TestPostgres.embeddedFrom(jar);
    boundedDb = pg.createShopDatabase("wire_merge_bounded");
    unboundedDb = pg.createShopDatabase("wire_merge");
    bounded =
        ProxyFixture.reference(
            pg,
            boundedDb,
            policy ->
                policy.replace(
                    "        maxRowsAffected: 100",
                    "        maxRowsAffected: 100\n        rowLimit: 1"));
    unbounded =
        ProxyFixture.reference(
            pg,
            unboundedDb,
            policy -> policy.replace("        maxRowsAffected: 100", "        rowLimit: 1"));
  }

  @AfterAll
  static void stop() {
    if (bounded != null) {
      bounded.close();
    }
    if (unbounded != null) {
      unbounded.close();
    }
    if (pg != null) {
      pg.stop();
    }
  }

  @ParameterizedTest(name = "bounded={0} {1} transaction={2}")
  @CsvSource({
    "false, simple, false",
    "false, simple, true",
    "false, extended, false",
    "false, extended, true",
    "true, simple, false",
    "true, simple, true",
    "true, extended, false",
    "true, extended, true"
  })
  void mergeReturningGetsTheLimitAndTheWarning(boolean bound, String mode, boolean tx)
      throws Exception {
    ProxyFixture proxy = bound ? bounded : unbounded;
    int from = NEXT.getAndAdd(3);
    String sql =
        // the source does not read the target (that would need approval outright)
        "MERGE INTO app.orders o USING (SELECT generate_series("
            + from
            + ", "
            + (from + 2)
            + ") AS id) s ON o.id = s.id WHEN MATCHED THEN UPDATE SET note = 'm' RETURNING o.id";
    try (Connection c =
            proxy.connect(
                ReferencePrincipal.ETL_NIGHTLY,
                TestPostgres.SHOP,
                mode.equals("simple") ? PgJdbcIT.SIMPLE : PgJdbcIT.EXTENDED);
        Statement s = c.createStatement()) {
      c.setAutoCommit(!tx);
      int rows = 0;
      StringBuilder warned = new StringBuilder();
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          rows++;
        }
        for (var w = s.getWarnings(); w != null; w = w.getNextWarning()) {
          warned.append(w.getMessage());
        }
        for (var w = rs.getWarnings(); w != null; w = w.getNextWarning()) {
          warned.append(w.getMessage());
        }
      }
      assertThat(rows).isEqualTo(1);
      assertThat(warned.toString()).contains("result truncated to 1 rows by policy");
      if (tx) {
        c.commit();
      }
    }
    // all three rows were merged: only the answer was cut
    try (Connection admin = pg.connectAsAdmin(bound ? boundedDb : unboundedDb);
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM app.orders WHERE note = 'm' AND id BETWEEN "
                    + from
                    + " AND "
                    + (from + 2))) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3);
    }
  }
}
