package dev.gatehouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Part 3: one SELECT of 1,000,000 rows of about 200 bytes, three columns masked, read with psql
 * directly and through a gateway with a 256 MB heap: throughput, psql's and the gateway's memory,
 * and whether the gateway's heap stays flat as the result grows.
 */
public final class LargeResultBench {

  private LargeResultBench() {}

  /** What the part runs; each from an environment variable, with defaults that fit the budget. */
  record Settings(int rows, int smallRows, int warmupRows, int repetitions, String heap) {
    static Settings fromEnv() {
      Settings s =
          new Settings(
              intEnv("GATEHOUSE_BENCH_LARGE_ROWS", 1_000_000),
              intEnv("GATEHOUSE_BENCH_LARGE_SMALL_ROWS", 250_000),
              intEnv("GATEHOUSE_BENCH_LARGE_WARMUP_ROWS", 20_000),
              intEnv("GATEHOUSE_BENCH_LARGE_REPS", 3),
              System.getenv().getOrDefault("GATEHOUSE_BENCH_LARGE_XMX", "256m"));
      if (s.smallRows >= s.rows || s.warmupRows > s.smallRows || s.repetitions < 1) {
        throw new IllegalArgumentException(
            "need warm-up rows <= small rows < rows and at least one repetition, got " + s);
      }
      return s;
    }
  }

  public static void main(String[] args) {
    int status = 1;
    try {
      run();
      status = 0;
    } catch (Exception e) {
      e.printStackTrace();
    }
    // The test issuer's web server keeps a non-daemon thread: without an exit the JVM (and the
    // embedded PostgreSQL its shutdown hook stops) would outlive the part.
    System.exit(status);
  }

  private static void run() throws Exception {
    Settings settings = Settings.fromEnv();
    PartResult result = new PartResult("large");
    Path work = Files.createTempDirectory("gatehouse-bench-large-");
    try (BenchStack stack = BenchStack.start()) {
      log("creating " + ContactsTable.NAME + " with " + settings.rows() + " rows");
      long created = System.nanoTime();
      stack.admin(ContactsTable.createSql(settings.rows()));
      double rowBytes = averageRowBytes(stack, settings.rows());
      log(
          String.format(
              "table ready in %.1f s, %.1f bytes of values per row",
              (System.nanoTime() - created) / 1e9, rowBytes));

      GcLog gc = new GcLog(work.resolve("gateway-gc.log"));
      Gateway gateway =
          stack.gateway("bench-large-1", List.of("-Xmx" + settings.heap(), gc.jvmArg()));
      var pg = stack.pg();
      PsqlRun.Target direct =
          new PsqlRun.Target(
              pg.host(), pg.port(), pg.writer().name(), stack.database(), pg.writer().password());
      LargeResultRuns m = new LargeResultRuns(stack, gateway, direct, gc, work, settings.rows());

      log("warm-up: " + settings.warmupRows() + " rows, direct once and through Gatehouse twice");
      m.run(settings.warmupRows(), false, 0);
      m.run(settings.warmupRows(), true, 0);
      m.run(settings.warmupRows(), true, 0);
      List<LargeResultRuns.MemorySnapshot> memory = new ArrayList<>();
      memory.add(m.snapshot(String.format("after warm-up (%,d rows)", settings.warmupRows())));

      List<LargeResultRuns.Run> runs = new ArrayList<>();
      runs.add(m.run(settings.smallRows(), false, 1));
      runs.add(m.run(settings.smallRows(), true, 1));
      memory.add(m.snapshot(String.format("after %,d rows", settings.smallRows())));

      for (int rep = 1; rep <= settings.repetitions(); rep++) {
        // Alternate which path goes first, so a drift in machine load does not favour one.
        boolean gatewayFirst = rep % 2 == 0;
        runs.add(m.run(settings.rows(), gatewayFirst, rep));
        runs.add(m.run(settings.rows(), !gatewayFirst, rep));
      }
      memory.add(
          m.snapshot(
              String.format("after %,d rows (%d runs)", settings.rows(), settings.repetitions())));
      String fetchCount = m.fetchCountThroughGatehouse(settings.warmupRows());
      List<GcLog.Pause> pauses = gc.pauses();
      log(
          pauses.size()
              + " collections in the gateway's GC log, "
              + pauses.stream().filter(GcLog.Pause::full).count()
              + " of them full (the bench asks for one at each memory reading)");

      LargeResultSection section =
          new LargeResultSection(
              settings, rowBytes, runs, memory, fetchCount, LargeResultRuns.psqlVersion());
      result.write(section.figures(), section.markdown());
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(work);
    }
  }

  private static double averageRowBytes(BenchStack stack, int rows) throws Exception {
    try (Connection c = stack.pg().connectAsAdmin(stack.database());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(ContactsTable.averageRowBytesSql())) {
      rs.next();
      if (rs.getLong(2) != rows) {
        throw new IllegalStateException("the table holds " + rs.getLong(2) + " rows, not " + rows);
      }
      return rs.getDouble(1);
    }
  }

  static int intEnv(String name, int fallback) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("`" + name + "` must be a whole number, got `" + v + "`");
    }
  }

  static void log(String line) {
    System.err.println("bench large: " + line);
  }
}
