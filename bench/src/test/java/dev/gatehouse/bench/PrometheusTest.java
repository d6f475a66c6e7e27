package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTest {

  static final String TEXT =
      """
      # HELP gatehouse_decision_seconds time to analyse and decide one message
      # TYPE gatehouse_decision_seconds histogram
      gatehouse_decision_seconds_bucket{le="0.001"} 3
      gatehouse_decision_seconds_count 4
      gatehouse_decision_seconds_sum 0.002
      http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/mcp"} 10
      http_server_requests_seconds_sum{method="POST",outcome="SUCCESS",status="200",uri="/mcp"} 0.05
      http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/mcp"} 1
      http_server_requests_seconds_sum{method="GET",outcome="SUCCESS",status="200",uri="/mcp"} 30.0
      http_server_requests_seconds_count{method="POST",outcome="CLIENT_ERROR",status="400",uri="/mcp"} 10
      http_server_requests_seconds_sum{method="POST",outcome="CLIENT_ERROR",status="400",uri="/mcp"} 0.01
      """;

  @Test
  void meanOfAnUnlabelledTimer() {
    assertThat(Prometheus.timer(TEXT, "gatehouse_decision"))
        .containsEntry("count", 4L)
        .containsEntry("meanMs", 0.5);
  }

  @Test
  void sumsOnlyTheSeriesWithEveryLabel() {
    assertThat(Prometheus.timer(TEXT, "http_server_requests", "uri=\"/mcp\"", "method=\"POST\""))
        .containsEntry("count", 20L)
        .containsEntry("meanMs", 3.0);
    assertThat(Prometheus.timer(TEXT, "http_server_requests", "status=\"200\"", "method=\"POST\""))
        .containsEntry("count", 10L)
        .containsEntry("meanMs", 5.0);
  }

  @Test
  void aTimerThatNeverRanHasNoMean() {
    assertThat(Prometheus.timer(TEXT, "gatehouse_statement"))
        .containsEntry("count", 0L)
        .containsEntry("meanMs", null);
  }
}
