package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

  /** The shape JMH 1.37 writes with {@code -rf json}, cut down to what the bench reads. */
  private static final String JSON =
      """
      [ {
          "jmhVersion" : "1.37",
          "benchmark" : "dev.gatehouse.engine.bench.AnalyzeAndDecideBenchmark.cached",
          "mode" : "sample",
          "params" : { },
          "primaryMetric" : {
              "score" : 72.9,
              "scoreError" : 52.2,
              "scorePercentiles" : { "0.0" : 1.26, "50.0" : 2.412, "99.0" : 167.424,
                  "99.9" : 6138.2, "100.0" : 879755.264 },
              "scoreUnit" : "us/op",
              "rawDataHistogram" : [ [ [ [ 1.3, 1 ], [ 1.302, 2 ] ], [ [ 2.0, 10 ] ] ] ]
          },
          "secondaryMetrics" : {
              "gc.alloc.rate.norm" : { "score" : 9410.1, "scoreError" : 830.4, "scoreUnit" : "B/op" },
              "gc.count" : { "score" : 4.0, "scoreError" : "NaN", "scoreUnit" : "counts" }
          }
      }, {
          "benchmark" : "dev.gatehouse.engine.bench.MaskingBenchmark.maskCells",
          "mode" : "thrpt",
          "params" : { "detectors" : "ALL" },
          "primaryMetric" : { "score" : 2.5E7, "scoreError" : "NaN", "scoreUnit" : "ops/s",
              "rawData" : [ [ 1.5E7, 3.5E7, 2.5E7 ] ] },
          "secondaryMetrics" : { }
      } ]
      """;

  @Test
  void readsPercentilesSampleCountAndSecondaryMetrics() {
    List<JmhResults.Result> results = JmhResults.parse(JSON);
    JmhResults.Result cached = results.getFirst();
    assertThat(cached.method()).isEqualTo("cached");
    assertThat(cached.mode()).isEqualTo("sample");
    assertThat(cached.unit()).isEqualTo("us/op");
    assertThat(cached.percentile("50")).isEqualTo(2.412);
    assertThat(cached.percentile("99")).isEqualTo(167.424);
    assertThat(cached.percentile("99.9")).isEqualTo(6138.2);
    assertThat(cached.percentile("100")).isEqualTo(879755.264);
    assertThat(cached.samples()).isEqualTo(13);
    assertThat(cached.secondary()).containsEntry("gc.count", 4.0);
    assertThat(cached.label()).isEqualTo("cached");
  }

  @Test
  void readsThroughputWithParametersAndAMissingError() {
    JmhResults.Result masking = JmhResults.parse(JSON).get(1);
    assertThat(masking.score()).isEqualTo(2.5e7);
    assertThat(masking.scoreError()).isNaN();
    assertThat(masking.iterations()).containsExactly(1.5e7, 3.5e7, 2.5e7);
    assertThat(masking.label()).isEqualTo("maskCells [detectors=ALL]");
    assertThatThrownBy(() -> masking.percentile("99")).hasMessageContaining("no percentile 99");
  }

  @Test
  void refusesWhatIsNotAResultList() {
    assertThatThrownBy(() -> JmhResults.parse("{}")).hasMessageContaining("JSON array");
  }
}
