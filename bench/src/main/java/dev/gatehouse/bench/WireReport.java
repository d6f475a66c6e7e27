package dev.gatehouse.bench;

import static dev.gatehouse.bench.Figures.fmt;
import static dev.gatehouse.bench.Figures.latency;
import static dev.gatehouse.bench.Figures.ratio;
import static dev.gatehouse.bench.Figures.tps;
import static dev.gatehouse.bench.WireBench.CLIENTS;
import static dev.gatehouse.bench.WireBench.DIRECT;
import static dev.gatehouse.bench.WireBench.GATEHOUSE;
import static dev.gatehouse.bench.WireBench.HAPROXY;
import static dev.gatehouse.bench.WireBench.MODES;
import static dev.gatehouse.bench.WireBench.PGBOUNCER;
import static dev.gatehouse.bench.WireBench.TARGETS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** The wire part's Markdown section and JSON figures. */
final class WireReport {

  private WireReport() {}

  static String markdown(
      List<PgbenchRun> runs,
      int seconds,
      int rounds,
      int warmup,
      int scale,
      String principal,
      Gateway gateway)
      throws Exception {
    StringBuilder md = new StringBuilder("## 1. Wire overhead\n\n");
    md.append(
        """
        `%s` select-only (`-S -n`), scale %d (`pgbench -i -s %d` as the superuser), \
        `-T %d` per run (`-T %d` with 1 client), `-j` = min(clients, 2), %d round(s) per cell \
        (median reported), the four targets interleaved within each (mode, clients) cell with \
        the first target rotating from cell to cell. Before the first cell, one warm-up run per \
        target and mode (8 clients; %d s through Gatehouse for its JIT, 1 s for the others), \
        checked but not reported. Everything on loopback TCP without TLS, on the same 2 cores \
        as the server and pgbench.

        - **direct**: PostgreSQL 16 as `gatehouse_writer` (SCRAM).
        - **HAProxy** (`%s`) in TCP mode: a pure byte relay to the server, same role.
        - **PgBouncer** (`%s`), `pool_mode = session`, no inspection, SCRAM against its userlist, \
        same role, pool of 40.
        - **Gatehouse** (`gatehouse.jar serve`, reference policy, audit and masking on, \
        `-Xmx512m`) as `%s` (client-credentials token as the password), upstream as \
        `gatehouse_writer` by the `etl-nightly-pgbench` rule.

        """
            .formatted(
                Pgbench.version(),
                scale,
                scale,
                seconds,
                WireBench.seconds(seconds, 1),
                rounds,
                warmup,
                version("haproxy", "-v"),
                version("pgbouncer", "--version"),
                principal));
    md.append("TPS (average latency in ms):\n\n| mode | clients |");
    TARGETS.forEach(t -> md.append(" ").append(t).append(" |"));
    md.append("\n|---|---:|").append("---:|".repeat(TARGETS.size())).append("\n");
    for (String mode : MODES) {
      for (int c : CLIENTS) {
        md.append("| ").append(mode).append(" | ").append(c).append(" |");
        for (String t : TARGETS) {
          md.append(" ")
              .append(fmt(tps(runs, t, mode, c), "%.0f"))
              .append(" (")
              .append(fmt(latency(runs, t, mode, c), "%.3f"))
              .append(") |");
        }
        md.append("\n");
      }
    }
    md.append(
        "\nTPS ratios:\n\n| mode | clients | Gatehouse/direct | Gatehouse/HAProxy |"
            + " Gatehouse/PgBouncer | HAProxy/direct | PgBouncer/direct |\n"
            + "|---|---:|---:|---:|---:|---:|---:|\n");
    for (String mode : MODES) {
      for (int c : CLIENTS) {
        md.append("| %s | %d |".formatted(mode, c));
        for (String[] pair : RATIOS) {
          md.append(" ")
              .append(fmt(cellRatio(runs, pair[0], pair[1], mode, c), "%.2f"))
              .append(" |");
        }
        md.append("\n");
      }
    }
    md.append(cpuTable(runs));
    md.append(
        "\nTargets (issue #15: Gatehouse/HAProxy ≥ 0.9 at 8 and 32 clients, ≥ 0.8 at 1 client;"
            + " issue #10 also asked Gatehouse ≥ PgBouncer at 8 and 32):\n\n");
    for (String mode : MODES) {
      for (int c : CLIENTS) {
        md.append(
            c == 1
                ? "- %s, %d client: Gatehouse/HAProxy %s\n"
                    .formatted(
                        mode, c, Figures.verdict(cellRatio(runs, GATEHOUSE, HAPROXY, mode, c), 0.8))
                : "- %s, %d clients: Gatehouse/HAProxy %s; Gatehouse/PgBouncer %s\n"
                    .formatted(
                        mode,
                        c,
                        Figures.verdict(cellRatio(runs, GATEHOUSE, HAPROXY, mode, c), 0.9),
                        Figures.verdict(cellRatio(runs, GATEHOUSE, PGBOUNCER, mode, c), 1.0)));
      }
    }
    md.append(
        ("\nChecks: every run's pgbench reported 0 failed transactions and was not aborted;"
                + " through Gatehouse, the audit trail of `%s` (control database,"
                + " `gatehouse_audit.audit_record`) was counted before and after each run:\n\n")
            .formatted(principal));
    md.append(Figures.auditTable(runs));
    md.append(noise(runs));
    List<PgbenchRun> invalid = runs.stream().filter(r -> !r.valid()).toList();
    md.append(
        invalid.isEmpty()
            ? "\nAll runs valid.\n"
            : "\n**Invalid runs** (left out of the figures):\n\n");
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

  /**
   * What each proxy costs in CPU per transaction (issue 15), and how far the gateway's shipping of
   * its audit log fell behind while it ran.
   */
  static String cpuTable(List<PgbenchRun> runs) {
    StringBuilder md =
        new StringBuilder(
            "\nProxy CPU per transaction (µs of user and system time of the proxy's process over"
                + " the run, connection set-up included; one statement per transaction), and the"
                + " gateway's shipping lag at its peak during the run (records / seconds, sampled"
                + " every second from its metrics); beside them the control database's CPU per"
                + " transaction in Gatehouse runs (µs of its backends, from before the run until"
                + " the shipper caught up: audit ingest):\n\n| mode | clients | HAProxy |"
                + " PgBouncer | Gatehouse | Gatehouse/HAProxy | Gatehouse lag peak | control DB |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String mode : MODES) {
      for (int c : CLIENTS) {
        var h = Figures.cpuMicros(runs, HAPROXY, mode, c);
        var b = Figures.cpuMicros(runs, PGBOUNCER, mode, c);
        var g = Figures.cpuMicros(runs, GATEHOUSE, mode, c);
        var control = Figures.controlCpuMicros(runs, GATEHOUSE, mode, c);
        String lag =
            runs.stream()
                .filter(
                    r ->
                        r.round() > 0
                            && r.target().equals(GATEHOUSE)
                            && r.mode().equals(mode)
                            && r.clients() == c)
                .map(r -> LagWatch.text(r.lag()))
                .findFirst()
                .orElse("n/a");
        md.append(
            "| %s | %d | %s | %s | %s | %s | %s | %s |\n"
                .formatted(
                    mode,
                    c,
                    fmt(h, "%.0f"),
                    fmt(b, "%.0f"),
                    fmt(g, "%.0f"),
                    fmt(ratio(g, h), "%.1f"),
                    lag,
                    fmt(control, "%.0f")));
      }
    }
    return md.toString();
  }

  /**
   * A relay or pooler in front of the same server cannot really beat direct by much: how far the
   * peers' ratios stray above 1 shows how much noise other processes put into this run.
   */
  static String noise(List<PgbenchRun> runs) {
    double worst = 1;
    String where = null;
    for (String mode : MODES) {
      for (int c : CLIENTS) {
        for (String peer : List.of(HAPROXY, PGBOUNCER)) {
          OptionalDouble r = cellRatio(runs, peer, DIRECT, mode, c);
          if (r.isPresent() && r.getAsDouble() > worst) {
            worst = r.getAsDouble();
            where = "%s/direct, %s, %d clients".formatted(peer, mode, c);
          }
        }
      }
    }
    return worst <= 1.15
        ? ""
        : ("\n**Noise**: %s measured %.2f, which a hop in front of the same server cannot really"
                + " reach; the machine was shared (load averages below), so in this run ratios"
                + " closer than that spread are not distinguishable. Re-run on a quiet machine or"
                + " with `GATEHOUSE_BENCH_ROUNDS=2` for tighter figures.\n")
            .formatted(where, worst);
  }

  private static final String[][] RATIOS = {
    {GATEHOUSE, DIRECT},
    {GATEHOUSE, HAPROXY},
    {GATEHOUSE, PGBOUNCER},
    {HAPROXY, DIRECT},
    {PGBOUNCER, DIRECT}
  };

  private static OptionalDouble cellRatio(
      List<PgbenchRun> runs, String a, String b, String mode, int clients) {
    return ratio(tps(runs, a, mode, clients), tps(runs, b, mode, clients));
  }

  static Map<String, Object> figures(List<PgbenchRun> runs, int seconds, int rounds) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("tool", "pgbench -S -n, scale " + WireBench.SCALE);
    f.put("secondsPerRun", seconds);
    f.put("rounds", rounds);
    Map<String, Object> cells = new LinkedHashMap<>();
    for (String mode : MODES) {
      for (int c : CLIENTS) {
        Map<String, Object> cell = new LinkedHashMap<>();
        for (String t : TARGETS) {
          cell.put(t + "Tps", value(tps(runs, t, mode, c)));
          cell.put(t + "LatencyMs", value(latency(runs, t, mode, c)));
          if (!t.equals(DIRECT)) {
            cell.put(t + "CpuMicrosPerTransaction", value(Figures.cpuMicros(runs, t, mode, c)));
          }
          if (t.equals(GATEHOUSE)) {
            cell.put(
                "controlDbCpuMicrosPerTransaction",
                value(Figures.controlCpuMicros(runs, t, mode, c)));
          }
        }
        for (String[] pair : RATIOS) {
          cell.put(pair[0] + "/" + pair[1], value(cellRatio(runs, pair[0], pair[1], mode, c)));
        }
        cells.put(mode + "-" + c, cell);
      }
    }
    f.put("cells", cells);
    f.put("runs", runs.stream().map(Figures::json).toList());
    return f;
  }

  private static Double value(OptionalDouble d) {
    return d.isPresent() ? d.getAsDouble() : null;
  }

  static String version(String... command) {
    try {
      String out = Procs.run(List.of(command), Map.of(), java.time.Duration.ofSeconds(10));
      String first = out.lines().findFirst().orElse("?").strip();
      int dash = first.indexOf(" - ");
      return dash > 0 ? first.substring(0, dash) : first;
    } catch (Exception e) {
      return "?";
    }
  }
}
