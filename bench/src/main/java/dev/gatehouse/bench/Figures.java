package dev.gatehouse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Medians and ratios over checked pgbench runs, and the targets judged with margins. */
final class Figures {

  private Figures() {}

  /** The median TPS of the valid runs of one target in one cell. */
  static OptionalDouble tps(List<PgbenchRun> runs, String target, String mode, int clients) {
    return median(runs, target, mode, clients, r -> r.output().tps());
  }

  /** The median average latency, in ms, of the valid runs of one target in one cell. */
  static OptionalDouble latency(List<PgbenchRun> runs, String target, String mode, int clients) {
    return median(runs, target, mode, clients, r -> r.output().latencyMs());
  }

  /** The median proxy CPU µs per transaction of the valid runs of one target in one cell. */
  static OptionalDouble cpuMicros(List<PgbenchRun> runs, String target, String mode, int clients) {
    return median(runs, target, mode, clients, PgbenchRun::proxyCpuMicrosPerTransaction);
  }

  static OptionalDouble controlCpuMicros(
      List<PgbenchRun> runs, String target, String mode, int clients) {
    return median(runs, target, mode, clients, PgbenchRun::controlCpuMicrosPerTransaction);
  }

  private static OptionalDouble median(
      List<PgbenchRun> runs,
      String target,
      String mode,
      int clients,
      java.util.function.ToDoubleFunction<PgbenchRun> figure) {
    List<Double> v = new ArrayList<>();
    for (PgbenchRun r : runs) {
      if (r.valid()
          && r.round() > 0
          && r.target().equals(target)
          && r.mode().equals(mode)
          && r.clients() == clients
          && !Double.isNaN(figure.applyAsDouble(r))) {
        v.add(figure.applyAsDouble(r));
      }
    }
    if (v.isEmpty()) {
      return OptionalDouble.empty();
    }
    v.sort(null);
    int n = v.size();
    return OptionalDouble.of(n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2);
  }

  /** {@code a / b}, empty when either is missing. */
  static OptionalDouble ratio(OptionalDouble a, OptionalDouble b) {
    return a.isPresent() && b.isPresent() && b.getAsDouble() > 0
        ? OptionalDouble.of(a.getAsDouble() / b.getAsDouble())
        : OptionalDouble.empty();
  }

  static String fmt(OptionalDouble d, String format) {
    return d.isPresent() ? format.formatted(d.getAsDouble()) : "n/a";
  }

  /**
   * "met" or "missed" for {@code ratio >= threshold}, with the margin relative to the threshold:
   * -12% means the measured ratio is 12% short of the bar.
   */
  static String verdict(OptionalDouble ratio, double threshold) {
    if (ratio.isEmpty()) {
      return "not measured (a run failed)";
    }
    double r = ratio.getAsDouble();
    double margin = (r / threshold - 1) * 100;
    return r >= threshold
        ? "met, %.2f vs %.2f (%+.1f%%)".formatted(r, threshold, margin)
        : "**missed**, %.2f vs %.2f (%+.1f%%)".formatted(r, threshold, margin);
  }

  /**
   * The audit check of every Gatehouse run as a Markdown table: statements allowed and recorded per
   * pgbench transaction, refusals, outcome errors, and the gateway's CPU use (cores busy).
   */
  static String auditTable(List<PgbenchRun> runs) {
    StringBuilder md =
        new StringBuilder(
            "| mode | clients | round | transactions | statements audited | per transaction"
                + " | denied/held | outcome errors | gateway CPU (cores) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (PgbenchRun r : runs) {
      if (r.audited() != null) {
        md.append(
            "| %s | %d | %d | %s | %d | %.3f | %d/%d | %d | %.2f |\n"
                .formatted(
                    r.mode(),
                    r.clients(),
                    r.round(),
                    r.output() == null ? "failed" : String.valueOf(r.output().transactions()),
                    r.audited().allowed(),
                    r.auditedPerTransaction(),
                    r.audited().denied(),
                    r.audited().held(),
                    r.audited().outcomeErrors(),
                    r.gatewayCores()));
      }
    }
    var cores =
        runs.stream()
            .filter(r -> r.round() > 0)
            .mapToDouble(PgbenchRun::gatewayCores)
            .filter(c -> !Double.isNaN(c))
            .summaryStatistics();
    if (cores.getCount() > 0) {
      md.append(
          ("\nThe gateway's CPU (user + system, /proc) over each run was %.2f to %.2f cores of %d:"
                  + " where throughput is far below direct at that use, the gateway is waiting,"
                  + " not computing.\n")
              .formatted(
                  cores.getMin(), cores.getMax(), Runtime.getRuntime().availableProcessors()));
    }
    return md.toString();
  }

  /**
   * What the gateway's log said beyond INFO during the part, verbatim (at most five lines), so a
   * reader sees trouble that did not reach the clients.
   */
  static String gatewayLog(Gateway g) {
    List<String> all = PgbenchRun.logProblems(g);
    if (all.isEmpty()) {
      return "\nThe gateway logged no warning or error during the part.\n";
    }
    StringBuilder md =
        new StringBuilder(
            ("\nThe gateway logged %d warning/error line(s) during the part (clients saw no error"
                    + " unless a run above is invalid); the first five:\n\n```\n")
                .formatted(all.size()));
    all.stream()
        .limit(5)
        .forEach(l -> md.append(l.length() > 240 ? l.substring(0, 240) + "..." : l).append("\n"));
    return md.append("```\n").toString();
  }

  /** One run as JSON. */
  static Map<String, Object> json(PgbenchRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", r.target());
    m.put("mode", r.mode());
    m.put("clients", r.clients());
    m.put("round", r.round());
    if (r.output() != null) {
      m.put("tps", r.output().tps());
      m.put("latencyMs", r.output().latencyMs());
      m.put("transactions", r.output().transactions());
      m.put("failedTransactions", r.output().failed());
    }
    if (r.audited() != null) {
      m.put("auditedAllowed", r.audited().allowed());
      m.put("auditedDenied", r.audited().denied());
      m.put("auditedHeld", r.audited().held());
      m.put("auditedOutcomeErrors", r.audited().outcomeErrors());
    }
    if (!Double.isNaN(r.gatewayCores())) {
      m.put("gatewayCpuCores", r.gatewayCores());
    }
    if (!Double.isNaN(r.proxyCpuMicrosPerTransaction())) {
      m.put("proxyCpuMicrosPerTransaction", r.proxyCpuMicrosPerTransaction());
    }
    if (!Double.isNaN(r.controlCpuMicrosPerTransaction())) {
      m.put("controlDbCpuMicrosPerTransaction", r.controlCpuMicrosPerTransaction());
    }
    if (r.lag() != null && !Double.isNaN(r.lag().records())) {
      m.put("shippingLagPeakRecords", r.lag().records());
      m.put("shippingLagPeakSeconds", r.lag().seconds());
    }
    m.put("valid", r.valid());
    m.put("problems", r.problems());
    return m;
  }
}
