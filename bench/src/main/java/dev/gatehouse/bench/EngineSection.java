package dev.gatehouse.bench;

import static dev.gatehouse.bench.LargeResultSection.f;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The figures and the Markdown section of part 5 (policy engine), from JMH's results. */
final class EngineSection {

  static final double CACHED_P99_TARGET_MICROS = 100;

  private final EngineBench.Settings settings;
  private final List<JmhResults.Result> decide;
  private final JsonNode tail;
  private final List<JmhResults.Result> masking;
  private final List<JmhResults.Result> tokens;

  EngineSection(
      EngineBench.Settings settings,
      List<JmhResults.Result> decide,
      JsonNode tail,
      List<JmhResults.Result> masking,
      List<JmhResults.Result> tokens) {
    this.settings = settings;
    this.decide = decide;
    this.tail = tail;
    this.masking = masking;
    this.tokens = tokens;
    for (JmhResults.Result r : decide) {
      requireUnit(r, "sample", "us/op");
    }
    for (JmhResults.Result r : tokens) {
      requireUnit(r, "sample", "us/op");
    }
    for (JmhResults.Result r : masking) {
      requireUnit(r, "thrpt", "ops/s");
    }
  }

  private static void requireUnit(JmhResults.Result r, String mode, String unit) {
    if (!r.mode().equals(mode) || !r.unit().equals(unit)) {
      throw new IllegalStateException(
          r.benchmark()
              + " reports "
              + r.mode()
              + " in "
              + r.unit()
              + ", expected "
              + mode
              + " in "
              + unit);
    }
  }

  JmhResults.Result decide(String method) {
    return decide.stream()
        .filter(r -> r.method().equals(method))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no analyse-and-decide result " + method));
  }

  /** The judged figure: p99 of decisions on statements whose analysis the cache holds. */
  double cachedP99() {
    return decide("cachedHitsOnly").percentile("99");
  }

  boolean met() {
    return cachedP99() < CACHED_P99_TARGET_MICROS;
  }

  /** Corpus cases by p99 in the tail run, slowest first. */
  List<JsonNode> slowestCases(int n) {
    List<JsonNode> cases = new ArrayList<>();
    tail.path("cases").forEach(cases::add);
    cases.sort(Comparator.comparingDouble((JsonNode c) -> -c.path("p99Micros").asDouble()));
    return cases.subList(0, Math.min(n, cases.size()));
  }

  long cacheableCases() {
    long n = 0;
    for (JsonNode c : tail.path("cases")) {
      n += c.path("cacheable").asBoolean() ? 1 : 0;
    }
    return n;
  }

  Map<String, Object> figures() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("settings", settings);
    f.put(
        "analyseAndDecide",
        decide.stream()
            .map(
                r -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("benchmark", r.method());
                  m.put("samples", r.samples());
                  m.put("medianMicros", r.percentile("50"));
                  m.put("p99Micros", r.percentile("99"));
                  m.put("p999Micros", r.percentile("99.9"));
                  m.put("maxMicros", r.percentile("100"));
                  m.put("allocatedBytesPerOp", r.secondary().get("gc.alloc.rate.norm"));
                  m.put("gcCount", r.secondary().get("gc.count"));
                  m.put("gcMillis", r.secondary().get("gc.time"));
                  return m;
                })
            .toList());
    f.put("cachedP99TargetMicros", CACHED_P99_TARGET_MICROS);
    f.put("cachedP99Micros", cachedP99());
    f.put("cachedP99Met", met());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("rounds", tail.path("rounds").asLong());
    t.put("gcCount", tail.path("gcCount").asLong());
    t.put("gcMillis", tail.path("gcMillis").asLong());
    t.put("cases", tail.path("cases").size());
    t.put("cacheableCases", cacheableCases());
    t.put("cacheable", tail.path("cacheableCases"));
    t.put("uncacheable", tail.path("uncacheableCases"));
    t.put("slowest", slowestCases(6));
    f.put("cachedTail", t);
    f.put(
        "masking",
        masking.stream()
            .map(
                r -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("benchmark", r.label());
                  m.put("cellsPerSecond", r.score());
                  m.put("error", r.scoreError());
                  return m;
                })
            .toList());
    f.put(
        "tokenVerification",
        tokens.stream()
            .map(
                r -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("benchmark", r.method());
                  m.put("samples", r.samples());
                  m.put("medianMicros", r.percentile("50"));
                  m.put("p99Micros", r.percentile("99"));
                  return m;
                })
            .toList());
    return f;
  }

  String markdown() {
    return new EngineMarkdown(this, settings, decide, tail, masking, tokens).render();
  }

  static String micros(double v) {
    return v >= 100 ? f("%,.0f", v) : f("%.1f", v);
  }
}
