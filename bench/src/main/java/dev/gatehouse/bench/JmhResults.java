package dev.gatehouse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads what JMH writes with {@code -rf json}: one entry per benchmark method and parameters. */
final class JmhResults {

  /**
   * One benchmark's result.
   *
   * @param method the benchmark method, e.g. {@code cached}
   * @param params JMH parameters, e.g. {@code detectors=ALL}
   * @param mode {@code sample}, {@code thrpt}, {@code avgt} or {@code ss}
   * @param percentiles for sample mode, e.g. {@code "99.9"} to its value in {@code unit}
   * @param samples for sample mode, how many operations were timed
   * @param iterations for throughput and average modes, each measurement iteration's score
   * @param secondary other metrics, e.g. {@code gc.count} or {@code gc.alloc.rate.norm}
   */
  record Result(
      String benchmark,
      String method,
      Map<String, String> params,
      String mode,
      double score,
      double scoreError,
      String unit,
      Map<String, Double> percentiles,
      long samples,
      List<Double> iterations,
      Map<String, Double> secondary) {

    double percentile(String p) {
      Double v = percentiles.get(p);
      if (v == null) {
        throw new IllegalStateException(benchmark + " has no percentile " + p + " (" + mode + ")");
      }
      return v;
    }

    /** {@code method} or {@code method [detectors=ALL]}. */
    String label() {
      return params.isEmpty()
          ? method
          : method
              + " ["
              + String.join(
                  ", ",
                  params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
              + "]";
    }
  }

  private JmhResults() {}

  static List<Result> parse(String json) {
    JsonNode root = JsonMapper.builder().build().readTree(json);
    if (!root.isArray()) {
      throw new IllegalStateException("a JMH result file is a JSON array");
    }
    List<Result> results = new ArrayList<>();
    for (JsonNode b : root) {
      String benchmark = b.path("benchmark").asString();
      JsonNode primary = b.path("primaryMetric");
      Map<String, String> params = new LinkedHashMap<>();
      b.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
      Map<String, Double> percentiles = new LinkedHashMap<>();
      primary
          .path("scorePercentiles")
          .properties()
          .forEach(e -> percentiles.put(trim(e.getKey()), e.getValue().asDouble()));
      Map<String, Double> secondary = new LinkedHashMap<>();
      b.path("secondaryMetrics")
          .properties()
          .forEach(e -> secondary.put(e.getKey(), e.getValue().path("score").asDouble()));
      results.add(
          new Result(
              benchmark,
              benchmark.substring(benchmark.lastIndexOf('.') + 1),
              params,
              b.path("mode").asString(),
              primary.path("score").asDouble(),
              primary.path("scoreError").asDouble(Double.NaN),
              primary.path("scoreUnit").asString(),
              percentiles,
              histogramCount(primary.path("rawDataHistogram")),
              iterations(primary.path("rawData")),
              secondary));
    }
    return results;
  }

  /** {@code "99.0"} → {@code "99"}, {@code "99.9"} stays. */
  private static String trim(String percentile) {
    return percentile.endsWith(".0")
        ? percentile.substring(0, percentile.length() - 2)
        : percentile;
  }

  /** Throughput mode keeps each iteration's score per fork: [[a, b, c], ...]. */
  private static List<Double> iterations(JsonNode forks) {
    List<Double> scores = new ArrayList<>();
    for (JsonNode fork : forks) {
      for (JsonNode score : fork) {
        scores.add(score.asDouble());
      }
    }
    return scores;
  }

  /** Sample mode keeps a histogram per fork and iteration: [[[value, count], ...], ...]. */
  private static long histogramCount(JsonNode forks) {
    long n = 0;
    for (JsonNode iterations : forks) {
      for (JsonNode histogram : iterations) {
        for (JsonNode bucket : histogram) {
          n += bucket.path(1).asLong();
        }
      }
    }
    return n;
  }
}
