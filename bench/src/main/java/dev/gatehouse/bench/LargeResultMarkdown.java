package dev.gatehouse.bench;

import static dev.gatehouse.bench.LargeResultSection.f;

import dev.gatehouse.bench.LargeResultRuns.MemorySnapshot;
import java.util.List;
import java.util.stream.Collectors;

/** Writes section 3 (large results) of the report. */
record LargeResultMarkdown(
    LargeResultSection s,
    LargeResultBench.Settings settings,
    double rowBytes,
    List<MemorySnapshot> memory,
    String fetchCount,
    String psqlVersion) {

  String render() {
    StringBuilder md = new StringBuilder("## 3. Large results\n\n");
    int rows = settings.rows();
    double resultMb = rows * rowBytes / 1e6;
    md.append(
        f(
            "`SELECT * FROM %s`: %,d rows of %.0f bytes of values on average (7 columns, %.0f MB"
                + " in all). Through Gatehouse, `etl-nightly` sees three columns masked by the"
                + " bench policy (`email` → `c****@bench.example`, `phone` → `****`,"
                + " `card_number` → last 4 kept) and the reference detectors (card number, email)"
                + " inspect the other text columns. Client: `psql -X -A -t -c <query> -o <file>`"
                + " (%s) under `/usr/bin/time -f %%M`; direct as `gatehouse_writer` to PostgreSQL"
                + " 16, through Gatehouse (`gatehouse.jar serve -Xmx%s`, audit on) as"
                + " `etl-nightly` with its token as password, database `shop`; TCP loopback and"
                + " `sslmode=disable` both ways. Wall time from starting psql to its exit"
                + " (connecting, the query, receiving, printing); %d runs per path, interleaved"
                + " and alternating which goes first, after a warm-up of %,d rows; MB/s counts"
                + " bytes of values, the same for both paths.\n\n",
            ContactsTable.NAME,
            rows,
            rowBytes,
            resultMb,
            psqlVersion,
            settings.heap(),
            settings.repetitions(),
            settings.warmupRows()));
    md.append(
        "| path | rows | runs | wall s, median (min–max) | rows/s | MB/s | psql peak RSS | CPU s"
            + " psql | CPU s gateway |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int size : new int[] {settings.smallRows(), rows}) {
      for (boolean gateway : new boolean[] {false, true}) {
        LargeResultSection.Leg p = s.leg(size, gateway);
        md.append(
            f(
                "| %s | %,d | %d | %.2f (%.2f–%.2f) | %,.0f | %.1f | %,d MB | %.2f | %s |\n",
                p.name(),
                size,
                p.runs(),
                p.medianSeconds(),
                p.min(),
                p.max(),
                p.rowsPerSecond(),
                p.mbPerSecond(),
                p.psqlPeakRssKb() / 1024,
                p.psqlCpuSeconds(),
                gateway ? f("%.2f", p.gatewayCpuSeconds()) : "–"));
      }
    }
    double ratio = s.ratio();
    double target = LargeResultSection.THROUGHPUT_TARGET;
    md.append(
        f(
            "\n**Gatehouse/direct throughput at %,d rows: %.2f**, the median over the run pairs"
                + " (each pair back to back: %s); median time over median time %.2f, fastest over"
                + " fastest %.2f. Target (issue #15) ≥ %.1f: **%s** (%+.2f, %+.0f%% of the target). CPU"
                + " columns are medians; the gateway's is what its process used during the run.\n\n",
            rows,
            ratio,
            s.pairRatios().stream().map(r -> f("%.2f", r)).collect(Collectors.joining(", ")),
            s.ratioOfMedians(),
            s.ratioOfBest(),
            target,
            ratio >= target ? "met" : "missed",
            ratio - target,
            (ratio / target - 1) * 100));
    busy(md);
    memory(md);
    md.append(
        "\nMemory columns: VmRSS and VmHWM (peak) of the gateway process from `/proc`; heap in use"
            + " from `jcmd GC.heap_info`; then the bench asks for a full collection (`jcmd GC.run`)"
            + " and reads the heap it left from the gateway's own GC log (`-Xlog:gc`); the"
            + " collections counted are those the gateway ran by itself since the previous"
            + " reading.\n");
    md.append(
        f(
            "\n**Gateway heap flat: %s.** From the %,d-row result to the %,d-row result (which"
                + " holds %.0f MB more values) the live heap after a full collection grew by %d MB,"
                + " and the largest heap any of the %d collections left while the large results"
                + " streamed was %d MB, %+d MB against the live heap after the small one (tolerance"
                + " %d MB for both; with no collection at all there is no evidence, and the target"
                + " counts as missed). VmHWM grew by %d MB. The %,d-row result (%.0f MB of values)"
                + " is larger than the gateway's whole heap (`-Xmx%s`), so it cannot have been"
                + " held.\n\n",
            s.flat() ? "met" : "missed",
            settings.smallRows(),
            rows,
            (rows - settings.smallRows()) * rowBytes / 1e6,
            s.liveGrowthMb(),
            memory.getLast().gcs().pauses(),
            memory.getLast().gcs().maxAfterMb(),
            s.streamingGrowthMb(),
            LargeResultSection.FLAT_HEAP_TOLERANCE_MB,
            s.hwmGrowthKb() / 1024,
            rows,
            resultMb,
            settings.heap()));
    long gatewayRuns = s.runs().stream().filter(LargeResultRuns.Run::gateway).count();
    md.append(
        f(
            "Checked: every line of every output (%d runs, warm-up excluded from the table) equals"
                + " the row its id gives, and each id of the query arrives once; through Gatehouse"
                + " (%d runs) no line carries its row's clear email, phone or card number, directly"
                + " every line does.\n\n",
            s.runs().size(), gatewayRuns));
    md.append(
        "To trust the numbers: psql without `FETCH_COUNT` keeps the whole result in its own memory"
            + " before printing it (its peak RSS above, alike on both paths), so the wall time"
            + " includes building and printing that result. With `FETCH_COUNT` psql reads through"
            + " a cursor (`DECLARE` … `FETCH`), whose rows Gatehouse masks as those of the"
            + " declared query (docs/clients.md). Tried in this run"
            + " through Gatehouse with `FETCH_COUNT=1000`: "
            + (fetchCount.equals("accepted") ? "accepted" : "`` " + fetchCount + " ``")
            + ". Clients can also page with the protocol's row limit (JDBC `setFetchSize`), as"
            + " `LargeResultIT` does. Masking shortens three values, so"
            + " psql prints fewer bytes through Gatehouse than directly.\n");
    return md.toString();
  }

  /** On a machine busier than its cores, says that the ratio measures the contention too. */
  private void busy(StringBuilder md) {
    double load = Double.parseDouble(Machine.loadAverage().split(" ")[0]);
    int cores = Runtime.getRuntime().availableProcessors();
    if (load > cores) {
      md.append(
          f(
              "The machine was busy while this part ran (1-minute load average %.1f on %d cores):"
                  + " every path competed for CPU with other processes, the Gatehouse path more"
                  + " (one process more: PostgreSQL, the gateway and psql all need a core at once),"
                  + " and the spread of the pair ratios shows how much that moved the figure. The"
                  + " gateway's CPU time per run (above) depends much less on it.\n\n",
              load, cores));
    }
  }

  private void memory(StringBuilder md) {
    md.append(
        "| gateway, moment | VmRSS | VmHWM | heap in use | live heap after full GC | GCs since"
            + " previous | largest heap after one of them | their pauses |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (MemorySnapshot m : memory) {
      md.append(
          f(
              "| %s | %d MB | %d MB | %d MB | %d MB | %d | %s | %.0f ms |\n",
              m.moment(),
              m.rssKb() / 1024,
              m.hwmKb() / 1024,
              m.heapUsedKb() / 1024,
              m.liveHeapMb(),
              m.gcs().pauses(),
              m.gcs().pauses() == 0 ? "–" : m.gcs().maxAfterMb() + " MB",
              m.gcs().pauseMs()));
    }
  }
}
