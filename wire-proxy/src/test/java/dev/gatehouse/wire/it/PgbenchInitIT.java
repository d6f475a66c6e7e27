package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pgbench through Gatehouse from scratch, as docs/clients.md shows it: {@code pgbench -i} creates,
 * loads (COPY FROM STDIN), vacuums and keys its tables under a grant for {@code public.pgbench_*},
 * then the select-only and TPC-B-like runs use them. The grant is the one the docs print.
 */
class PgbenchInitIT {

  /** The rule docs/clients.md tells an operator to add for pgbench. */
  static final String PGBENCH_INIT_RULE =
      """
        - id: dba-pgbench
          description: pgbench creates, loads and runs its own tables
          match:
            groups: [dba]
          grants:
            - database: shop
              classes: [read, write, ddl, admin, transaction, session]
              read: ["public.pgbench_*", "pg_catalog.*"]
              write: ["public.pgbench_*"]
              upstreamRole: gatehouse_owner
      """;

  static ProxyFixture proxy;
  static String db;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_pgbench_init");
    proxy = ProxyFixture.reference(db, PGBENCH_INIT_RULE);
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void pgbenchInitialisesAndRunsThroughTheGateway() throws Exception {
    String init = pgbench("-i", "-s", "1", "-q");
    assertThat(init).contains("done in");
    try (Connection c = TestPostgres.get().connectAsAdmin(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM public.pgbench_accounts")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(100_000);
    }
    assertThat(pgbench("-n", "-S", "-c", "2", "-t", "20"))
        .contains("number of failed transactions: 0");
    assertThat(pgbench("-n", "-c", "2", "-t", "20")).contains("number of failed transactions: 0");
    // the grant reaches pgbench's tables only
    assertThat(refused("-n", "-t", "1", "-f", "/dev/stdin"))
        .contains("permission denied by gatehouse");
  }

  private static String pgbench(String... args) throws Exception {
    Process p = start(args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** Runs a script that reads app.customers: refused. */
  private static String refused(String... args) throws Exception {
    Process p = start(args).start();
    p.getOutputStream().write("SELECT count(*) FROM app.customers;\n".getBytes());
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isNotZero();
    return out;
  }

  private static ProcessBuilder start(String... args) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/pgbench"));
    command.addAll(List.of(args));
    command.addAll(
        List.of("-h", "127.0.0.1", "-p", String.valueOf(proxy.server.port()), "-U", "dba", "shop"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.DBA));
    pb.environment().put("PGSSLMODE", "disable");
    return pb;
  }
}
