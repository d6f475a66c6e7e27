package dev.gatehouse.wire.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.TestGates;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * pgbench select-only TPS direct, through an HAProxy TCP relay (the target of issue #10) and
 * through the proxy over the test-double gate only: the proxy's own per-message cost, for profiling
 * (run the JVM with {@code -XX:StartFlightRecording}). Arguments: seconds per run, then optionally
 * modes ({@code prepared,simple}) and client counts ({@code 1,8,32}); system property {@code
 * threads} sets the proxy's event loop threads (0 = one per core).
 */
public final class ProxyOnlyBench {

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<String> modes = List.of((args.length > 1 ? args[1] : "prepared,simple").split(","));
    List<Integer> counts = new ArrayList<>();
    for (String c : (args.length > 2 ? args[2] : "1,8,32").split(",")) {
      counts.add(Integer.parseInt(c));
    }
    int threads = Integer.getInteger("threads", 0);
    // -DproxyOnly=true skips the direct and HAProxy runs (to measure the proxy process alone).
    boolean proxyOnly = Boolean.getBoolean("proxyOnly");
    TestPostgres pg = TestPostgres.get();
    String db = pg.createShopDatabase("bench_proxyonly");
    PgbenchCompare.run(
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
    WireProxyConfig config =
        new WireProxyConfig(
            "127.0.0.1", 0, null, null, true, 0, 0, null, null, null, null, null, threads, null);
    TestGates.Assembly doubles = TestGates.create();
    WireProxyServer bare = new WireProxyServer(config, doubles.gate()).start();
    System.out.println("bench proxy pid " + ProcessHandle.current().pid() + " ready");
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY);
    Relay haproxy = haproxy(pg);
    // Warm the proxy up (JIT) so that the first measured run is not slower for it.
    for (String mode : modes) {
      PgbenchCompare.tps(mode, 4, 3, "127.0.0.1", bare.port(), "etl-nightly", token, db);
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "%-9s %7s %9s %9s %6s %10s %6s %7s %10s %10s",
            "mode",
            "clients",
            "direct",
            "haproxy",
            "ratio",
            "proxy-only",
            "ratio",
            "vs-hap",
            "hap us/tx",
            "proxy us/tx"));
    try {
      for (String mode : modes) {
        for (int clients : counts) {
          String w = pg.writer().name();
          String pw = pg.writer().password();
          double direct =
              proxyOnly
                  ? Double.NaN
                  : PgbenchCompare.tps(mode, clients, seconds, pg.host(), pg.port(), w, pw, db);
          double hap = Double.NaN;
          double hapCpu = Double.NaN;
          if (haproxy != null && !proxyOnly) {
            long before = cpuNanos(haproxy.process().toHandle());
            hap =
                PgbenchCompare.tps(mode, clients, seconds, "127.0.0.1", haproxy.port(), w, pw, db);
            hapCpu = perTransaction(cpuNanos(haproxy.process().toHandle()) - before, hap, seconds);
          }
          long before = cpuNanos(ProcessHandle.current());
          double proxy =
              PgbenchCompare.tps(
                  mode, clients, seconds, "127.0.0.1", bare.port(), "etl-nightly", token, db);
          double proxyCpu =
              perTransaction(cpuNanos(ProcessHandle.current()) - before, proxy, seconds);
          lines.add(
              String.format(
                  "%-9s %7d %9.0f %9.0f %5.0f%% %10.0f %5.0f%% %6.0f%% %10.1f %10.1f",
                  mode,
                  clients,
                  direct,
                  hap,
                  100 * hap / direct,
                  proxy,
                  100 * proxy / direct,
                  100 * proxy / hap,
                  hapCpu,
                  proxyCpu));
        }
      }
    } finally {
      bare.stop();
      if (haproxy != null) {
        haproxy.process().destroy();
      }
    }
    System.out.println();
    System.out.println(
        "pgbench -S, "
            + seconds
            + " s per run, scale 10, "
            + Runtime.getRuntime().availableProcessors()
            + " cores, proxy event loop threads "
            + (threads == 0 ? "one per core" : threads)
            + "");
    lines.forEach(System.out::println);
    System.exit(0);
  }

  /** CPU time (user and system) a process used so far. */
  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().orElseThrow().toNanos();
  }

  /** Microseconds of CPU per transaction (the run's transactions estimated from its TPS). */
  private static double perTransaction(long cpuNanos, double tps, int seconds) {
    return cpuNanos / 1000.0 / (tps * seconds);
  }

  private record Relay(Process process, int port) {}

  /** An HAProxy TCP relay to the test PostgreSQL, or null when HAProxy is not installed. */
  private static Relay haproxy(TestPostgres pg) throws IOException, InterruptedException {
    Path bin = Path.of("/usr/sbin/haproxy");
    if (!Files.isExecutable(bin)) {
      return null;
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path cfg = Files.createTempFile("haproxy", ".cfg");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "global",
            "  maxconn 1000",
            "defaults",
            "  mode tcp",
            "  timeout connect 5s",
            "  timeout client 1h",
            "  timeout server 1h",
            "listen pg",
            "  bind 127.0.0.1:" + port,
            "  option tcp-smart-accept",
            "  server pg " + pg.host() + ":" + pg.port(),
            ""));
    Process p = new ProcessBuilder(bin.toString(), "-db", "-f", cfg.toString()).inheritIO().start();
    Thread.sleep(500);
    return new Relay(p, port);
  }
}
