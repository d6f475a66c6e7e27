package dev.gatehouse.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Part 1, wire overhead: pgbench select-only through PostgreSQL direct, HAProxy (TCP relay),
 * PgBouncer (session pool) and Gatehouse, both query modes, 1, 8 and 32 clients, the targets
 * interleaved per cell so that noise on the shared machine hits all of them alike.
 */
public final class WireBench {

  static final int SCALE = 10;

  /**
   * The query modes and client counts measured; {@code GATEHOUSE_BENCH_WIRE_MODES} and {@code
   * GATEHOUSE_BENCH_WIRE_CLIENTS} (comma-separated) narrow them for a quick before/after pair.
   */
  static final List<String> MODES = listEnv("GATEHOUSE_BENCH_WIRE_MODES", "simple,prepared");

  static final List<Integer> CLIENTS =
      listEnv("GATEHOUSE_BENCH_WIRE_CLIENTS", "1,8,32").stream().map(Integer::valueOf).toList();
  static final String DIRECT = "direct";
  static final String HAPROXY = "haproxy";
  static final String PGBOUNCER = "pgbouncer";
  static final String GATEHOUSE = "gatehouse";
  static final List<String> TARGETS = List.of(DIRECT, HAPROXY, PGBOUNCER, GATEHOUSE);

  private WireBench() {}

  private static List<String> listEnv(String name, String fallback) {
    String v = System.getenv(name);
    return List.of((v == null || v.isBlank() ? fallback : v).trim().split("\\s*,\\s*"));
  }

  /**
   * Runs the part and exits: the issuer's embedded web server keeps a non-daemon thread that would
   * hold the JVM open after the part has finished, and exit runs the hooks that stop PostgreSQL.
   */
  public static void main(String[] args) {
    int status;
    try {
      status = run() ? 0 : 1;
    } catch (Throwable t) {
      t.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** Measures, checks and writes the part's result; false when a run was invalid. */
  static boolean run() throws Exception {
    int seconds = BenchEnv.positive("GATEHOUSE_BENCH_SECONDS", 10);
    int rounds = BenchEnv.positive("GATEHOUSE_BENCH_ROUNDS", 1);
    int warmup = BenchEnv.positive("GATEHOUSE_BENCH_WARMUP_SECONDS", 5);
    PartResult result = new PartResult("wire");
    List<PgbenchRun> runs = new ArrayList<>();
    String principal = ReferencePrincipal.ETL_NIGHTLY.subject();
    try (BenchStack stack = BenchStack.start()) {
      BenchEnv.progress("wire: pgbench -i -s %d", SCALE);
      Pgbench.initialise(stack, SCALE);
      var pg = stack.pg();
      Path dir = Files.createTempDirectory("gatehouse-bench-wire-");
      BenchEnv.progress("wire: starting the gateway and the peers");
      Gateway gateway = stack.gateway("bench-wire", List.of("-Xmx512m"));
      try (PeerProcess haproxy = Haproxy.start(dir, pg.host(), pg.port());
          PeerProcess pgbouncer =
              Pgbouncer.start(
                  dir,
                  pg.host(),
                  pg.port(),
                  stack.database(),
                  pg.writer().name(),
                  pg.writer().password(),
                  32)) {
        Targets targets = new Targets(stack, gateway, haproxy, pgbouncer);
        // Warm every path before the first measured cell: the gateway's JIT for `warmup`
        // seconds, the others (the pool's server connections, the buffer cache) for one.
        // These runs are checked but not reported.
        for (String mode : MODES) {
          for (String t : TARGETS) {
            measure(targets, t, mode, 8, t.equals(GATEHOUSE) ? warmup : 1, 0);
          }
        }
        int cell = 0;
        for (String mode : MODES) {
          for (int clients : CLIENTS) {
            for (int round = 1; round <= rounds; round++) {
              // Rotate who goes first, so no target always runs on the coldest or warmest machine.
              for (int i = 0; i < TARGETS.size(); i++) {
                String t = TARGETS.get((i + cell) % TARGETS.size());
                runs.add(measure(targets, t, mode, clients, seconds(seconds, clients), round));
              }
              cell++;
            }
          }
        }
        requireAlive(haproxy, pgbouncer);
      } finally {
        // The peers' configs hold the writer's password.
        PeerProcess.deleteTree(dir);
      }
      BenchEnv.progress("wire: measured");
      String md = WireReport.markdown(runs, seconds, rounds, warmup, SCALE, principal, gateway);
      result.write(WireReport.figures(runs, seconds, rounds), md);
    }
    if (runs.stream().anyMatch(r -> !r.valid())) {
      System.err.println("bench: wire: some runs were invalid; see the section");
      return false;
    }
    return true;
  }

  /**
   * A single client runs half as long: its figure is steady sooner, the targets are set at
   * 8 and 32 clients, and the part keeps within its share of run-all's time.
   */
  static int seconds(int base, int clients) {
    return clients == 1 ? Math.max(1, base / 2) : base;
  }

  private static PgbenchRun measure(
      Targets targets, String target, String mode, int clients, int seconds, int round)
      throws Exception {
    var spec = new PgbenchRun.Spec(Pgbench.Script.SELECT_ONLY, mode, clients, seconds, round, 1);
    PgbenchRun run = targets.measure(target, spec);
    if (round == 0 && !run.valid()) {
      throw new IllegalStateException("warm-up through " + target + " failed: " + run.problems());
    }
    return run;
  }

  private static void requireAlive(PeerProcess... peers) {
    for (PeerProcess p : peers) {
      if (!p.alive()) {
        throw new IllegalStateException(p + " exited during the run; its log: " + p.log());
      }
    }
  }

  /** The four endpoints, Gatehouse with a fresh token for every run. */
  record Targets(BenchStack stack, Gateway gateway, PeerProcess haproxy, PeerProcess pgbouncer) {

    PgbenchRun measure(String target, PgbenchRun.Spec spec) throws Exception {
      var pg = stack.pg();
      var writer = pg.writer();
      String db = stack.database();
      Endpoint e =
          switch (target) {
            case DIRECT ->
                new Endpoint(DIRECT, pg.host(), pg.port(), writer.name(), writer.password(), db);
            case HAPROXY ->
                new Endpoint(
                    HAPROXY, "127.0.0.1", haproxy.port(), writer.name(), writer.password(), db);
            case PGBOUNCER ->
                new Endpoint(
                    PGBOUNCER, "127.0.0.1", pgbouncer.port(), writer.name(), writer.password(), db);
            case GATEHOUSE ->
                new Endpoint(
                    GATEHOUSE,
                    "127.0.0.1",
                    gateway.wirePort(),
                    ReferencePrincipal.ETL_NIGHTLY.subject(),
                    stack.token(ReferencePrincipal.ETL_NIGHTLY),
                    "shop");
            default -> throw new IllegalArgumentException("no target `" + target + "`");
          };
      long pid =
          switch (target) {
            case HAPROXY -> haproxy.pid();
            case PGBOUNCER -> pgbouncer.pid();
            default -> -1;
          };
      return GATEHOUSE.equals(target)
          ? PgbenchRun.measure(e, spec, stack, gateway, e.user())
          : PgbenchRun.measure(e, spec, stack, null, null, pid);
    }
  }
}
