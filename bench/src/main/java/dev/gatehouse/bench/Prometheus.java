package dev.gatehouse.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mean durations from a gateway's {@code /actuator/prometheus}: where a call's time goes inside the
 * server, beside what the client measured.
 */
final class Prometheus {

  private Prometheus() {}

  /** Scrapes the gateway's metrics text. */
  static String scrape(int httpPort) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + BenchStack.METRICS_TOKEN)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/actuator/prometheus answered " + r.statusCode());
    }
    return r.body();
  }

  /**
   * The count and mean (ms) of a timer: the sum of {@code <name>_seconds_sum} over the series whose
   * labels contain every one of {@code labels}, over the sum of their counts.
   */
  static Map<String, Object> timer(String metrics, String name, String... labels) {
    double sum = 0;
    double count = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#") || !matches(line, labels)) {
        continue;
      }
      double value = value(line);
      if (line.startsWith(name + "_seconds_sum")) {
        sum += value;
      } else if (line.startsWith(name + "_seconds_count")) {
        count += value;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", (long) count);
    m.put("meanMs", count == 0 ? null : Math.round(sum / count * 1e6) / 1e3);
    return m;
  }

  private static boolean matches(String line, String... labels) {
    for (String label : labels) {
      if (!line.contains(label)) {
        return false;
      }
    }
    return true;
  }

  private static double value(String line) {
    String[] fields = line.trim().split("\\s+");
    try {
      return Double.parseDouble(fields[fields.length - 1]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
