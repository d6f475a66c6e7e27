package dev.gatehouse.bench;

import static dev.gatehouse.bench.Figures.fmt;
import static dev.gatehouse.bench.Figures.latency;
import static dev.gatehouse.bench.Figures.ratio;
import static dev.gatehouse.bench.Figures.tps;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Part 2, write path: pgbench's TPC-B-like script (three UPDATEs, a SELECT and an INSERT per
 * transaction) through Gatehouse as the writer principal {@code etl-nightly} vs PostgreSQL direct
 * as the same upstream role, with fsync and synchronous commit on.
 */
public final class WriteBench {

  static final int SCALE = 10;
  static final String DIRECT = "direct";
  static final String GATEHOUSE = "gatehouse";
  static final List<String> TARGETS = List.of(DIRECT, GATEHOUSE);

  /**
   * The (mode, clients) cells, in the order they run; the single-client cell runs a third as long,
   * to keep the part within its budget (its latency is the steadiest figure of the three).
   */
  static final List<Cell> CELLS =
      List.of(new Cell("prepared", 8, 1), new Cell("simple", 8, 1), new Cell("prepared", 1, 3));

  static final int WARMUP_SECONDS = 3;

  /** The five statements between BEGIN and END; BEGIN and END are audited too when counted. */
  static final int DATA_STATEMENTS = 5;

  /** One (mode, clients) cell, run for the part's duration divided by {@code divisor}. */
  record Cell(String mode, int clients, int divisor) {
    int seconds(int base) {
      return Math.max(1, base / divisor);
    }
  }

  private WriteBench() {}

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
    int seconds =
        BenchEnv.positive(
            "GATEHOUSE_BENCH_WRITE_SECONDS",
            BenchEnv.positive("GATEHOUSE_BENCH_SECONDS", 10) * 3 / 2);
    int rounds = BenchEnv.positive("GATEHOUSE_BENCH_ROUNDS", 1);
    PartResult result = new PartResult("write");
    List<PgbenchRun> runs = new ArrayList<>();
    List<String> refused;
    String principal = ReferencePrincipal.ETL_NIGHTLY.subject();
    try (BenchStack stack = BenchStack.start()) {
      BenchEnv.progress("write: pgbench -i -s %d", SCALE);
      Pgbench.initialise(stack, SCALE);
      BenchEnv.progress("write: starting the gateway");
      Gateway gateway = stack.gateway("bench-write", List.of("-Xmx512m"));
      // A short first run through Gatehouse: if the policy refuses or holds any statement of the
      // script, the audit trail below says which and why, before minutes are spent measuring.
      PgbenchRun probe = measure(stack, gateway, GATEHOUSE, "prepared", 8, WARMUP_SECONDS, 0);
      if (probe.valid()) {
        measure(stack, gateway, DIRECT, "prepared", 8, WARMUP_SECONDS, 0);
        int cell = 0;
        for (Cell c : CELLS) {
          for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < TARGETS.size(); i++) {
              String t = TARGETS.get((i + cell) % TARGETS.size());
              runs.add(
                  measure(stack, gateway, t, c.mode(), c.clients(), c.seconds(seconds), round));
            }
            cell++;
          }
        }
      } else {
        runs.add(probe);
      }
      refused = AuditTally.refused(stack, principal);
      String md = markdown(runs, seconds, rounds, principal, refused, gateway);
      result.write(figures(runs, seconds, rounds, refused), md);
    }
    BenchEnv.progress("write: done");
    if (runs.stream().anyMatch(r -> !r.valid())) {
      System.err.println("bench: write: some runs were invalid; see the section");
      return false;
    }
    return true;
  }

  private static PgbenchRun measure(
      BenchStack stack,
      Gateway gateway,
      String target,
      String mode,
      int clients,
      int seconds,
      int round)
      throws Exception {
    var spec =
        new PgbenchRun.Spec(
            Pgbench.Script.TPCB_LIKE, mode, clients, seconds, round, DATA_STATEMENTS);
    var pg = stack.pg();
    if (target.equals(DIRECT)) {
      var w = pg.writer();
      Endpoint e =
          new Endpoint(DIRECT, pg.host(), pg.port(), w.name(), w.password(), stack.database());
      return PgbenchRun.measure(e, spec, stack, null, null);
    }
    var etl = ReferencePrincipal.ETL_NIGHTLY;
    Endpoint e =
        new Endpoint(
            GATEHOUSE, "127.0.0.1", gateway.wirePort(), etl.subject(), stack.token(etl), "shop");
    return PgbenchRun.measure(e, spec, stack, gateway, etl.subject());
  }

  static String markdown(
      List<PgbenchRun> runs,
      int seconds,
      int rounds,
      String principal,
      List<String> refused,
      Gateway gateway)
      throws Exception {
    StringBuilder md = new StringBuilder("## 2. Write path\n\n");
    md.append(
        """
        `%s` with its default TPC-B-like script (`-n`: BEGIN; UPDATE pgbench_accounts; SELECT; \
        UPDATE pgbench_tellers; UPDATE pgbench_branches; INSERT INTO pgbench_history; END), \
        scale %d, `-T` as in the table, `-j` = min(clients, 2), %d round(s) per cell \
        (median), direct and Gatehouse interleaved per cell; a %d s run of each (8 clients, \
        prepared) first, checked but not reported. **direct**: PostgreSQL 16 as `gatehouse_writer` \
        (SCRAM). **Gatehouse**: `gatehouse.jar serve` (reference policy, audit and masking on, \
        `-Xmx512m`) as `%s`, upstream as `gatehouse_writer` by the bench's \
        `etl-nightly-pgbench` rule; every statement's record is durable where the audit \
        durability above says (the local audit log, shipped to the control database on the same \
        server, or that database itself) before the statement runs. Both with `fsync` and \
        `synchronous_commit` on: each transaction waits for its WAL flush.

        | mode | clients | `-T` s | direct TPS | direct latency ms | Gatehouse TPS | Gatehouse latency ms | Gatehouse/direct |
        |---|---:|---:|---:|---:|---:|---:|---:|
        """
            .formatted(Pgbench.version(), SCALE, rounds, WARMUP_SECONDS, principal));
    for (Cell c : CELLS) {
      var d = tps(runs, DIRECT, c.mode(), c.clients());
      var g = tps(runs, GATEHOUSE, c.mode(), c.clients());
      md.append(
          "| %s | %d | %d | %s | %s | %s | %s | %s |\n"
              .formatted(
                  c.mode(),
                  c.clients(),
                  c.seconds(seconds),
                  fmt(d, "%.0f"),
                  fmt(latency(runs, DIRECT, c.mode(), c.clients()), "%.3f"),
                  fmt(g, "%.0f"),
                  fmt(latency(runs, GATEHOUSE, c.mode(), c.clients()), "%.3f"),
                  fmt(ratio(g, d), "%.2f")));
    }
    md.append(
        "\nTarget (issue #15): Gatehouse/direct ≥ 0.8 at 8 clients, prepared and simple:\n\n");
    for (Cell c : CELLS) {
      if (c.clients() == 8) {
        md.append(
            "- %s, 8 clients: %s\n"
                .formatted(
                    c.mode(),
                    Figures.verdict(
                        ratio(
                            tps(runs, GATEHOUSE, c.mode(), c.clients()),
                            tps(runs, DIRECT, c.mode(), c.clients())),
                        0.8)));
      }
    }
    md.append(
        ("\nAudit trail of `%s` per Gatehouse run (statements allowed and recorded, per pgbench"
                + " transaction; the script has %d data statements plus BEGIN and END):\n\n")
            .formatted(principal, DATA_STATEMENTS));
    md.append(Figures.auditTable(runs));
    md.append(
        refused.isEmpty()
            ? "\nNo statement of `%s` was denied or held for approval during the part.\n"
                .formatted(principal)
            : "\n**Statements of `%s` not allowed** (audit trail):\n\n".formatted(principal));
    refused.forEach(r -> md.append("- ").append(r).append("\n"));
    List<PgbenchRun> invalid = runs.stream().filter(r -> !r.valid()).toList();
    md.append(
        invalid.isEmpty()
            ? "\nAll runs valid (0 failed transactions).\n"
            : "\n**Invalid runs**:\n\n");
    for (PgbenchRun r : invalid) {
      md.append(
          "- %s %s %d clients round %d: %s\n"
              .formatted(
                  r.target(), r.mode(), r.clients(), r.round(), String.join("; ", r.problems())));
    }
    md.append("\nGateway peak RSS: %d MB.\n".formatted(gateway.peakRssKb() / 1024));
    md.append(Figures.gatewayLog(gateway));
    return md.toString();
  }

  static Map<String, Object> figures(
      List<PgbenchRun> runs, int seconds, int rounds, List<String> refused) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("tool", "pgbench -n (TPC-B-like), scale " + SCALE);
    f.put("secondsPerRun", seconds);
    f.put("rounds", rounds);
    Map<String, Object> cells = new LinkedHashMap<>();
    for (Cell c : CELLS) {
      var d = tps(runs, DIRECT, c.mode(), c.clients());
      var g = tps(runs, GATEHOUSE, c.mode(), c.clients());
      Map<String, Object> cell = new LinkedHashMap<>();
      cell.put("seconds", c.seconds(seconds));
      cell.put("directTps", d.isPresent() ? d.getAsDouble() : null);
      cell.put("gatehouseTps", g.isPresent() ? g.getAsDouble() : null);
      var r = ratio(g, d);
      cell.put("gatehouse/direct", r.isPresent() ? r.getAsDouble() : null);
      cells.put(c.mode() + "-" + c.clients(), cell);
    }
    f.put("cells", cells);
    f.put("refusedStatements", refused);
    f.put("runs", runs.stream().map(Figures::json).toList());
    return f;
  }
}
