package dev.gatehouse.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Latency percentiles of a series of timed calls, by the nearest-rank method: the p-th percentile
 * is the smallest sample that at least p% of the samples do not exceed.
 */
public record Latencies(
    long meanNanos,
    int count,
    long medianNanos,
    long p90Nanos,
    long p95Nanos,
    long p99Nanos,
    long maxNanos,
    long minNanos) {

  /** Summarises {@code nanos} (left unchanged); fails on an empty series. */
  public static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples to summarise");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    long sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new Latencies(
        sum / sorted.length,
        sorted.length,
        rank(sorted, 50),
        rank(sorted, 90),
        rank(sorted, 95),
        rank(sorted, 99),
        sorted[sorted.length - 1],
        sorted[0]);
  }

  /** The nearest-rank percentile {@code p} (0 &lt; p ≤ 100) of an ascending series. */
  static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(sorted.length * p / 100.0) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Milliseconds with two decimals, for tables. */
  public static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }

  /** The figures in milliseconds, for the part's JSON. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("minMs", nanos(minNanos));
    m.put("meanMs", nanos(meanNanos));
    m.put("medianMs", nanos(medianNanos));
    m.put("p90Ms", nanos(p90Nanos));
    m.put("p95Ms", nanos(p95Nanos));
    m.put("p99Ms", nanos(p99Nanos));
    m.put("maxMs", nanos(maxNanos));
    return m;
  }

  private static double nanos(long n) {
    return Math.round(n / 1e3) / 1e3;
  }
}
