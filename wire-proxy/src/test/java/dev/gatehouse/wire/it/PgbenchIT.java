package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pgbench's TPC-B-like script through the proxy in all three query modes. */
class PgbenchIT {

  static final Path PGBENCH = Path.of("/usr/bin/pgbench");
  static ProxyFixture proxy;
  static String db;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(PGBENCH)) {
      throw new IllegalStateException("pgbench is required at " + PGBENCH + " for this test");
    }
    proxy = new ProxyFixture();
    db = initialise("wire_pgbench");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** Creates pgbench's tables directly (as the superuser) and lets the writer role use them. */
  static String initialise(String prefix) throws Exception {
    TestPostgres pg = TestPostgres.get();
    String name = pg.createShopDatabase(prefix);
    Process init =
        new ProcessBuilder(
                PGBENCH.toString(),
                "-i",
                "-s",
                "1",
                "-q",
                "-h",
                pg.host(),
                "-p",
                String.valueOf(pg.port()),
                "-U",
                pg.adminUser(),
                name)
            .redirectErrorStream(true)
            .start();
    String out = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!init.waitFor(120, TimeUnit.SECONDS) || init.exitValue() != 0) {
      throw new IllegalStateException("pgbench -i failed:\n" + out);
    }
    try (Connection c = pg.connectAsAdmin(name);
        Statement s = c.createStatement()) {
      s.execute("GRANT USAGE ON SCHEMA public TO gatehouse_writer");
      s.execute(
          "GRANT SELECT, INSERT, UPDATE, DELETE ON pgbench_accounts, pgbench_branches,"
              + " pgbench_tellers, pgbench_history TO gatehouse_writer");
    }
    return name;
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "extended", "prepared"})
  void tpcbRunsWithoutErrors(String mode) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    PGBENCH.toString(),
                    "-n",
                    "-M",
                    mode,
                    "-c",
                    "4",
                    "-j",
                    "2",
                    "-t",
                    "50",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(proxy.server.port()),
                    "-U",
                    "etl-nightly",
                    db))
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY));
    pb.environment().put("PGSSLMODE", "disable");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("number of transactions actually processed: 200/200")
        .contains("number of failed transactions: 0");
  }
}
