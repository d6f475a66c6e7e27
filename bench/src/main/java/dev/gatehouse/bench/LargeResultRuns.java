package dev.gatehouse.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The psql runs of the large-result part and the memory readings of its one gateway. */
final class LargeResultRuns {

  static final Duration PSQL_TIMEOUT = Duration.ofMinutes(5);

  /**
   * One timed psql run whose output was checked line by line.
   *
   * @param gatewayCpuSeconds CPU the gateway process used during the run (about 0 for direct)
   */
  record Run(
      int rows,
      boolean gateway,
      int repetition,
      PsqlRun psql,
      double gatewayCpuSeconds,
      ContactsOutput.Checked out) {
    double rowsPerSecond() {
      return rows / psql.seconds();
    }
  }

  /** The gateway's memory at one moment, and its collections since the previous moment. */
  record MemorySnapshot(
      String moment, long rssKb, long hwmKb, long heapUsedKb, long liveHeapMb, GcLog.Window gcs) {}

  private final BenchStack stack;
  private final Gateway gateway;
  private final PsqlRun.Target direct;
  private final GcLog gc;
  private final Path work;
  private final int tableRows;
  private int pausesSeen;

  LargeResultRuns(
      BenchStack stack,
      Gateway gateway,
      PsqlRun.Target direct,
      GcLog gc,
      Path work,
      int tableRows) {
    this.stack = stack;
    this.tableRows = tableRows;
    this.gateway = gateway;
    this.direct = direct;
    this.gc = gc;
    this.work = work;
  }

  Run run(int rows, boolean throughGateway, int repetition) throws Exception {
    Path out = work.resolve(throughGateway ? "gatehouse.txt" : "direct.txt");
    PsqlRun.Target target = target(throughGateway);
    double cpuBefore = CpuTime.seconds(gateway.pid());
    PsqlRun psql = PsqlRun.run(target, query(rows), out, PSQL_TIMEOUT);
    double gatewayCpu = CpuTime.seconds(gateway.pid()) - cpuBefore;
    ContactsOutput.Checked checked = ContactsOutput.verify(out, rows, throughGateway);
    Files.delete(out);
    LargeResultBench.log(
        String.format(
            "%s %d rows (run %d): %.2f s, %.0f rows/s, psql peak RSS %d MB, CPU psql %.2f s,"
                + " gateway %.2f s; every line checked",
            throughGateway ? "gatehouse" : "direct   ",
            rows,
            repetition,
            psql.seconds(),
            rows / psql.seconds(),
            psql.peakRssKb() / 1024,
            psql.cpuSeconds(),
            gatewayCpu));
    return new Run(rows, throughGateway, repetition, psql, gatewayCpu, checked);
  }

  private PsqlRun.Target target(boolean throughGateway) {
    if (!throughGateway) {
      return direct;
    }
    // A fresh token per run: a run never fails on an expiry the measurement did not cause.
    return new PsqlRun.Target(
        "127.0.0.1",
        gateway.wirePort(),
        ReferencePrincipal.ETL_NIGHTLY.subject(),
        "shop",
        stack.token(ReferencePrincipal.ETL_NIGHTLY));
  }

  /** The whole table, or its first {@code rows} ids. */
  String query(int rows) {
    String all = "SELECT * FROM " + ContactsTable.NAME;
    return rows == tableRows ? all : all + " WHERE id <= " + rows;
  }

  /** Resident memory, heap in use, then a full collection for the live heap. */
  MemorySnapshot snapshot(String moment) throws Exception {
    long rss = gateway.rssKb();
    long hwm = gateway.peakRssKb();
    long used = GcLog.heapUsedKb(gateway.pid());
    GcLog.Window window = GcLog.window(gc.pauses(), pausesSeen);
    long live = gc.liveHeapMb(gateway.pid());
    pausesSeen = gc.pauses().size();
    LargeResultBench.log(
        String.format(
            "gateway %s: VmRSS %d MB, VmHWM %d MB, heap in use %d MB, live after full GC %d MB",
            moment, rss / 1024, hwm / 1024, used / 1024, live));
    return new MemorySnapshot(moment, rss, hwm, used, live, window);
  }

  /**
   * psql with {@code FETCH_COUNT} reads through a cursor ({@code DECLARE}/{@code FETCH}), which
   * Gatehouse masks as the declared query; returns psql's error line, or {@code accepted}.
   */
  String fetchCountThroughGatehouse(int rows) throws Exception {
    Path out = work.resolve("fetch-count.txt");
    PsqlRun.Target t = target(true);
    List<String> command =
        new ArrayList<>(
            List.of(
                "psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-v", "FETCH_COUNT=1000"));
    command.addAll(
        List.of(
            "-h", t.host(), "-p", String.valueOf(t.port()), "-U", t.user(), "-d", t.database()));
    command.addAll(List.of("-c", query(rows), "-o", out.toString()));
    try {
      Procs.run(command, Map.of("PGPASSWORD", t.password(), "PGSSLMODE", "disable"), PSQL_TIMEOUT);
      return "accepted";
    } catch (IllegalStateException refused) {
      String message = refused.getMessage();
      int error = message.indexOf("ERROR:");
      return error < 0
          ? message.strip()
          : message.substring(error).lines().findFirst().orElseThrow().strip();
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static String psqlVersion() throws Exception {
    return Procs.run(List.of("psql", "--version"), Map.of(), Duration.ofSeconds(10)).strip();
  }
}
