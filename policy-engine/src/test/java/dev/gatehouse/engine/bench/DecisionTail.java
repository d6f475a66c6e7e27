package dev.gatehouse.engine.bench;

import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the tail of {@link AnalyzeAndDecideBenchmark#cached} is made of: the same calls, timed one
 * by one and attributed to their corpus case, with whether the case's analysis can be cached and
 * how much the collector paused meanwhile. Writes JSON: {@code DecisionTail <out.json> [seconds]}.
 */
public final class DecisionTail {

  private DecisionTail() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    List<CorpusCase> cases = CorpusCase.all();
    int n = cases.size();
    AnalyzeAndDecideBenchmark bench = new AnalyzeAndDecideBenchmark();
    bench.setUp();
    try {
      // The benchmark walks the cases round robin from 0, so call k serves case k % n.
      long warmUpEnd = System.nanoTime() + (long) (seconds / 2 * 1e9);
      while (System.nanoTime() < warmUpEnd) {
        for (int i = 0; i < n; i++) {
          bench.cached();
        }
      }
      int rounds = 0;
      long[][] samples = new long[n][1024];
      long gcCountBefore = gcCount();
      long gcMillisBefore = gcMillis();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        if (rounds == samples[0].length) {
          for (int i = 0; i < n; i++) {
            samples[i] = Arrays.copyOf(samples[i], rounds * 2);
          }
        }
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          bench.cached();
          samples[i][rounds] = System.nanoTime() - start;
        }
        rounds++;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("rounds", rounds);
      result.put("gcCount", gcCount() - gcCountBefore);
      result.put("gcMillis", gcMillis() - gcMillisBefore);
      List<Map<String, Object>> described = describe(cases, samples, rounds);
      result.put("cacheableCases", percentiles(samples, rounds, described, true));
      result.put("uncacheableCases", percentiles(samples, rounds, described, false));
      result.put("cases", described);
      Files.writeString(out, JsonMapper.builder().build().writeValueAsString(result));
    } finally {
      bench.tearDown();
    }
  }

  private static List<Map<String, Object>> describe(
      List<CorpusCase> cases, long[][] samples, int rounds) {
    PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
    List<Map<String, Object>> described = new ArrayList<>();
    try {
      for (int i = 0; i < cases.size(); i++) {
        CorpusCase c = cases.get(i);
        String sql = c.sql();
        long[] sorted = Arrays.copyOf(samples[i], rounds);
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.file() + ":" + c.id());
        m.put(
            "cacheable",
            analyzer.analyze(sql, analyzer.lex(sql), AnalysisContext.DEFAULT).cacheable());
        m.put("p50Micros", micros(sorted, 0.50));
        m.put("p99Micros", micros(sorted, 0.99));
        m.put("maxMicros", sorted[rounds - 1] / 1e3);
        described.add(m);
      }
    } finally {
      analyzer.close();
    }
    return described;
  }

  /** Latency percentiles over every call of the cases that are (or are not) cacheable. */
  private static Map<String, Object> percentiles(
      long[][] samples, int rounds, List<Map<String, Object>> cases, boolean cacheable) {
    int count = 0;
    for (Map<String, Object> c : cases) {
      count += c.get("cacheable").equals(cacheable) ? rounds : 0;
    }
    long[] all = new long[count];
    int at = 0;
    for (int i = 0; i < cases.size(); i++) {
      if (cases.get(i).get("cacheable").equals(cacheable)) {
        System.arraycopy(samples[i], 0, all, at, rounds);
        at += rounds;
      }
    }
    Arrays.sort(all);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", count);
    if (count > 0) {
      m.put("p50Micros", micros(all, 0.50));
      m.put("p99Micros", micros(all, 0.99));
      m.put("p999Micros", micros(all, 0.999));
      m.put("maxMicros", all[count - 1] / 1e3);
    }
    return m;
  }

  private static double micros(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)] / 1e3;
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .sum();
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }
}
