package dev.gatehouse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the pgbench client against an {@link Endpoint}, one fixed-duration run at a time. */
public final class Pgbench {

  /** pgbench's built-in scripts the bench uses. */
  public enum Script {
    SELECT_ONLY("-S"),
    TPCB_LIKE(null);

    private final String flag;

    Script(String flag) {
      this.flag = flag;
    }
  }

  private Pgbench() {}

  /**
   * One run without vacuum ({@code -n}: the bench's roles may not vacuum, and the peers must all do
   * the same work); returns the raw output, or throws with it when pgbench fails.
   */
  public static String run(Endpoint e, Script script, String queryMode, int clients, int seconds)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("pgbench", "-n"));
    if (script.flag != null) {
      cmd.add(script.flag);
    }
    cmd.addAll(
        List.of(
            "-M",
            queryMode,
            "-c",
            String.valueOf(clients),
            // pgbench's own threads share the two cores with the server and the proxies.
            "-j",
            String.valueOf(Math.min(clients, 2)),
            "-T",
            String.valueOf(seconds),
            "-h",
            e.host(),
            "-p",
            String.valueOf(e.port()),
            "-U",
            e.user(),
            e.database()));
    Map<String, String> env =
        Map.of(
            "PGPASSWORD", e.password(),
            // Every target speaks plaintext on loopback; no target pays for TLS.
            "PGSSLMODE", "disable",
            "PGCONNECT_TIMEOUT", "30",
            "PGAPPNAME", "gatehouse-bench");
    return Procs.run(cmd, env, Duration.ofSeconds(seconds + 120L));
  }

  /** {@code pgbench --version}, e.g. {@code pgbench (PostgreSQL) 15.18}. */
  public static String version() {
    return WireReport.version("pgbench", "--version");
  }

  /** Initialises pgbench's tables at {@code scale} as the superuser (with their primary keys). */
  public static void initialise(BenchStack stack, int scale) throws Exception {
    var pg = stack.pg();
    Map<String, String> env = new java.util.HashMap<>(Map.of("PGSSLMODE", "disable"));
    if (!pg.adminPassword().isEmpty()) {
      env.put("PGPASSWORD", pg.adminPassword());
    }
    Procs.run(
        List.of(
            "pgbench",
            "-i",
            "-q",
            "-s",
            String.valueOf(scale),
            "-h",
            pg.host(),
            "-p",
            String.valueOf(pg.port()),
            "-U",
            pg.adminUser(),
            stack.database()),
        env,
        Duration.ofMinutes(5));
    // A run over empty tables would time lookups that find nothing.
    try (var c = pg.connectAsAdmin(stack.database());
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM pgbench_accounts")) {
      rs.next();
      if (rs.getLong(1) != 100_000L * scale) {
        throw new IllegalStateException(
            "pgbench -i left " + rs.getLong(1) + " accounts, not " + 100_000L * scale);
      }
    }
    stack.admin(
        "GRANT USAGE ON SCHEMA public TO gatehouse_writer",
        "GRANT SELECT, UPDATE, INSERT ON pgbench_accounts, pgbench_branches, pgbench_tellers,"
            + " pgbench_history TO gatehouse_writer");
  }
}
