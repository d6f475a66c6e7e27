package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real clients against the reference policy with the engine's own analyser and evaluator: what
 * drivers send on their own (pgjdbc metadata, psql backslash commands) must pass the policy too.
 */
public class ReferencePolicyWireIT {

  /** pgbench's tables, for the ETL principal, in a private copy of the shop database. */
  public static final String PGBENCH_RULE =
      """
        - id: etl-nightly-pgbench
          description: the load test of the nightly job
          match:
            groups: [etl]
          grants:
            - database: shop
              classes: [read, write, transaction, session]
              read: ["public.*", "pg_catalog.*"]
              write: ["public.pgbench_*"]
              upstreamRole: gatehouse_writer
      """;

  static ProxyFixture proxy;
  static String db;

  @BeforeAll
  static void start() throws Exception {
    db = PgbenchIT.initialise("wire_reference");
    proxy = ProxyFixture.reference(db, PGBENCH_RULE);
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void pgjdbcQueryDenialAndRecovery(String mode) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode)) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT id, email FROM app.customers WHERE id <= ? ORDER BY id")) {
        for (int round = 0; round < 3; round++) {
          ps.setLong(1, 2);
          try (ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
              rows++;
              assertThat(rs.getString("email")).doesNotContain("alice@").doesNotContain("bob@");
            }
            assertThat(rows).isEqualTo(2);
          }
        }
      }
      try (Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.execute("DROP TABLE app.orders"))
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        try (ResultSet rs = s.executeQuery("SELECT 1")) {
          assertThat(rs.next()).isTrue();
        }
      }
    }
  }

  @Test
  void pgjdbcMetadataPassesThePolicy() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "")) {
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet rs = meta.getTables(null, "app", "%", new String[] {"TABLE"})) {
        List<String> tables = new java.util.ArrayList<>();
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
        assertThat(tables).contains("customers", "orders", "payments");
      }
    }
  }

  @Test
  void psqlQueryBackslashCommandAndDenial() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "/usr/bin/psql",
            "-X",
            "-A",
            "-t",
            "-v",
            "VERBOSITY=verbose",
            "host=127.0.0.1 port="
                + proxy.server.port()
                + " dbname=shop user=analyst"
                + " sslmode=disable",
            "-c",
            "SELECT count(*) FROM app.orders",
            "-c",
            "\\dt app.*",
            "-c",
            "DELETE FROM app.orders",
            "-c",
            "SELECT 'still here'");
    pb.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("5000").contains("customers").contains("still here");
    assertThat(err).contains("42501");
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "extended", "prepared"})
  void pgbenchUnderTheReferencePolicyAndAnExtraRule(String mode) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "/usr/bin/pgbench",
                "-n",
                "-M",
                mode,
                "-c",
                "2",
                "-t",
                "25",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(proxy.server.port()),
                "-U",
                "etl-nightly",
                "shop")
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY));
    pb.environment().put("PGSSLMODE", "disable");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("number of failed transactions: 0");
  }
}
