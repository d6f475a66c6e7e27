package dev.gatehouse.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * One fixed-duration pgbench run against one target, checked: its figures, what the gateway audited
 * meanwhile and how many cores it kept busy (Gatehouse only, else null and NaN), and every reason
 * not to trust them ({@code problems}, empty when valid).
 */
public record PgbenchRun(
    String target,
    String mode,
    int clients,
    int round,
    PgbenchOutput output,
    AuditTally audited,
    double gatewayCores,
    double proxyCpuSeconds,
    double controlCpuSeconds,
    LagPeak lag,
    List<String> problems) {

  /** The shipper's lag at its highest during a run, from the gateway's metrics (issue 15). */
  public record LagPeak(double records, double seconds) {}

  /**
   * CPU microseconds the proxy (Gatehouse, HAProxy or PgBouncer) spent per transaction over the
   * run, user and system, connection set-up included; NaN for direct runs.
   */
  public double proxyCpuMicrosPerTransaction() {
    return output == null || output.transactions() == 0 || Double.isNaN(proxyCpuSeconds)
        ? Double.NaN
        : proxyCpuSeconds * 1e6 / output.transactions();
  }

  /**
   * CPU microseconds the control database's backends spent per transaction, from before the run
   * until the shipper caught up after it (ingest of the audit records, {@link ControlDbCpu}); NaN
   * for runs without a gateway.
   */
  public double controlCpuMicrosPerTransaction() {
    return output == null || output.transactions() == 0 || Double.isNaN(controlCpuSeconds)
        ? Double.NaN
        : controlCpuSeconds * 1e6 / output.transactions();
  }

  public boolean valid() {
    return output != null && problems.isEmpty();
  }

  /** Statements the gateway allowed and recorded per transaction pgbench counted. */
  public double auditedPerTransaction() {
    return audited == null || output == null || output.transactions() == 0
        ? Double.NaN
        : (double) audited.allowed() / output.transactions();
  }

  /** How to measure: the figures come from pgbench, the checks from the audit trail. */
  public record Spec(
      Pgbench.Script script,
      String mode,
      int clients,
      int seconds,
      int round,
      int minStatementsPerTransaction) {}

  /**
   * Runs pgbench against {@code e}. With a {@code gateway}, the audit trail of {@code subject} is
   * tallied before and after: every transaction must have left its statements in it, none refused,
   * no outcome an error, and the gateway must still run.
   */
  public static PgbenchRun measure(
      Endpoint e, Spec spec, BenchStack stack, Gateway gateway, String subject) throws Exception {
    return measure(e, spec, stack, gateway, subject, gateway == null ? -1 : gateway.pid());
  }

  /** As {@link #measure}, also timing the CPU of process {@code proxyPid} (-1: none). */
  public static PgbenchRun measure(
      Endpoint e, Spec spec, BenchStack stack, Gateway gateway, String subject, long proxyPid)
      throws Exception {
    AuditTally before = gateway == null ? null : AuditTally.settled(stack, subject);
    java.util.Map<Long, Double> controlBefore =
        gateway == null ? null : ControlDbCpu.snapshot(stack);
    double cpuBefore = gateway == null ? Double.NaN : CpuTime.secondsOrNaN(gateway.pid());
    double proxyBefore = proxyPid < 0 ? Double.NaN : CpuTime.secondsOrNaN(proxyPid);
    LagWatch lagWatch = gateway == null ? null : LagWatch.start(gateway);
    long started = System.nanoTime();
    List<String> problems = new ArrayList<>();
    PgbenchOutput out = null;
    String text;
    try {
      text = Pgbench.run(e, spec.script(), spec.mode(), spec.clients(), spec.seconds());
      if (System.getenv("GATEHOUSE_BENCH_VERBOSE") != null) {
        System.err.println(text);
      }
      out = PgbenchOutput.parse(text);
    } catch (IllegalStateException | IllegalArgumentException failed) {
      text = failed.getMessage();
      problems.add("pgbench failed: " + PgbenchOutput.firstError(text));
    }
    BenchEnv.progress(
        "%-9s %-8s %2d clients: %s",
        e.name(),
        spec.mode(),
        spec.clients(),
        out == null ? "FAILED" : "%.0f tps, %.3f ms".formatted(out.tps(), out.latencyMs()));
    if (out != null && out.failed() > 0) {
      problems.add(out.failed() + " failed transactions");
    }
    if (out != null && out.transactions() == 0) {
      problems.add("no transaction completed");
    }
    double proxyCpu = proxyPid < 0 ? Double.NaN : CpuTime.secondsOrNaN(proxyPid) - proxyBefore;
    LagPeak lag = lagWatch == null ? null : lagWatch.stop();
    double gatewayCores = Double.NaN;
    AuditTally delta = null;
    double controlCpu = Double.NaN;
    if (gateway != null) {
      // Over the whole pgbench run, connection set-up included.
      gatewayCores =
          (CpuTime.secondsOrNaN(gateway.pid()) - cpuBefore) / ((System.nanoTime() - started) / 1e9);
      delta = AuditTally.settled(stack, subject).minus(before);
      // Until the shipper caught up: the records of the run are in the control database now.
      controlCpu = ControlDbCpu.spent(controlBefore, ControlDbCpu.snapshot(stack));
      problems.addAll(auditProblems(delta, out, spec));
      if (!gateway.alive()) {
        problems.add("the gateway exited; its log: " + gateway.logFile());
      }
      if (!problems.isEmpty()) {
        System.err.println("bench: gateway log errors:\n" + errorLines(gateway));
      }
    }
    if (!problems.isEmpty()) {
      System.err.println("bench: " + e.name() + " run invalid: " + problems + "\n" + text);
    }
    return new PgbenchRun(
        e.name(),
        spec.mode(),
        spec.clients(),
        spec.round(),
        out,
        delta,
        gatewayCores,
        proxyCpu,
        controlCpu,
        lag,
        List.copyOf(problems));
  }

  private static List<String> auditProblems(AuditTally d, PgbenchOutput out, Spec spec) {
    List<String> p = new ArrayList<>();
    if (d.denied() > 0 || d.held() > 0) {
      p.add(d.denied() + " statements denied and " + d.held() + " held for approval");
    }
    if (d.outcomeErrors() > 0) {
      p.add(d.outcomeErrors() + " audited outcomes carry an error");
    }
    if (out != null && d.allowed() < out.transactions() * spec.minStatementsPerTransaction()) {
      p.add(
          "only %d statements audited for %d transactions (expected at least %d each)"
              .formatted(d.allowed(), out.transactions(), spec.minStatementsPerTransaction()));
    }
    return p;
  }

  /** The gateway log's WARN and ERROR lines (the last 20), to report what it saw under load. */
  static String errorLines(Gateway g) {
    List<String> lines = logProblems(g);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  /** Every WARN, ERROR or exception line of the gateway's log so far. */
  static List<String> logProblems(Gateway g) {
    try {
      return Files.readAllLines(g.logFile()).stream()
          .filter(l -> l.contains("ERROR") || l.contains("WARN") || l.contains("Exception"))
          .toList();
    } catch (Exception unreadable) {
      return List.of("(cannot read " + g.logFile() + ": " + unreadable.getMessage() + ")");
    }
  }
}
