package dev.gatehouse.wire.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.it.ReferencePolicyWireIT;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.ReferenceGates;
import dev.gatehouse.wire.testgate.TestGates;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench select-only TPS, direct to PostgreSQL vs through the wire proxy, same machine, same run:
 * prepared and simple protocol, 1, 8 and 32 clients. Run with {@code
 * wire-proxy/bench/pgbench-compare.sh [seconds-per-run]}.
 */
public final class PgbenchCompare {

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    TestPostgres pg = TestPostgres.get();
    String db = pg.createShopDatabase("bench_pgbench");
    run(
        List.of(
            "pgbench",
            "-i",
            "-s",
            "10",
            "-q",
            "-h",
            pg.host(),
            "-p",
            "" + pg.port(),
            "-U",
            pg.adminUser(),
            db),
        null);
    try (Connection c = pg.connectAsAdmin(db);
        Statement s = c.createStatement()) {
      s.execute("GRANT USAGE ON SCHEMA public TO gatehouse_writer");
      s.execute(
          "GRANT SELECT ON pgbench_accounts, pgbench_branches, pgbench_tellers,"
              + " pgbench_history TO gatehouse_writer");
    }
    // The real engine (reference policy plus a rule for pgbench's tables, catalog masking, JDBC
    // audit trail with its control database on the same server).
    ReferenceGates.Assembly gate = ReferenceGates.create(db, ReferencePolicyWireIT.PGBENCH_RULE);
    WireProxyServer proxy =
        new WireProxyServer(WireProxyConfig.defaults("127.0.0.1", 0), gate.gate()).start();
    // The same proxy over the test-double gate (keyword policy, in-memory audit): what the proxy
    // itself costs, without the durable audit write each statement waits for.
    TestGates.Assembly doubles = TestGates.create();
    WireProxyServer bare =
        new WireProxyServer(WireProxyConfig.defaults("127.0.0.1", 0), doubles.gate()).start();
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "%-9s %7s %11s %13s %6s %13s %6s",
            "mode", "clients", "direct tps", "engine tps", "ratio", "proxy-only", "ratio"));
    try {
      for (String mode : List.of("prepared", "simple")) {
        for (int clients : List.of(1, 8, 32)) {
          double direct =
              tps(
                  mode,
                  clients,
                  seconds,
                  pg.host(),
                  pg.port(),
                  pg.writer().name(),
                  pg.writer().password(),
                  db);
          double through =
              tps(mode, clients, seconds, "127.0.0.1", proxy.port(), "etl-nightly", token, "shop");
          double proxyOnly =
              tps(mode, clients, seconds, "127.0.0.1", bare.port(), "etl-nightly", token, db);
          lines.add(
              String.format(
                  "%-9s %7d %11.0f %13.0f %5.0f%% %13.0f %5.0f%%",
                  mode,
                  clients,
                  direct,
                  through,
                  100 * through / direct,
                  proxyOnly,
                  100 * proxyOnly / direct));
        }
      }
    } finally {
      proxy.stop();
      bare.stop();
      gate.close();
    }
    System.out.println();
    System.out.println(
        "pgbench -S (select only), "
            + seconds
            + " s per run, scale 10, "
            + Runtime.getRuntime().availableProcessors()
            + " cores; direct = gatehouse_writer with"
            + " SCRAM; engine = etl-nightly token through the wire proxy over the real engine"
            + " (reference policy, masking, JDBC audit trail on the same PostgreSQL); proxy-only ="
            + " the same proxy over the test-double gate with in-memory audit");
    lines.forEach(System.out::println);
    System.exit(0);
  }

  static double tps(
      String mode,
      int clients,
      int seconds,
      String host,
      int port,
      String user,
      String password,
      String db)
      throws Exception {
    String out =
        run(
            List.of(
                "pgbench",
                "-n",
                "-S",
                "-M",
                mode,
                "-c",
                "" + clients,
                "-j",
                "" + Math.min(clients, 2),
                "-T",
                "" + seconds,
                "-h",
                host,
                "-p",
                "" + port,
                "-U",
                user,
                db),
            password);
    Matcher m = TPS.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no tps in pgbench output:\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  static String run(List<String> command, String password) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (password != null) {
      pb.environment().put("PGPASSWORD", password);
    }
    pb.environment().put("PGSSLMODE", "disable");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
