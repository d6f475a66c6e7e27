package dev.gatehouse.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the gateway's shipping lag ({@code gatehouse_audit_lag_records} and {@code _seconds} from
 * its metrics) every second while a run goes on, and keeps the highest values.
 */
final class LagWatch {

  private static final Pattern GAUGE =
      Pattern.compile("(?m)^gatehouse_audit_lag_(records|seconds)(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");

  private final Thread thread;
  private volatile boolean running = true;
  private volatile double records = Double.NaN;
  private volatile double seconds = Double.NaN;

  private LagWatch(Gateway gateway) {
    thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (running) {
                    sample(gateway);
                    try {
                      Thread.sleep(1000); // the sampling period: a scrape costs the gateway CPU too
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  static LagWatch start(Gateway gateway) {
    return new LagWatch(gateway);
  }

  private void sample(Gateway gateway) {
    try {
      PgbenchRun.LagPeak now = read(Prometheus.scrape(gateway.httpPort()));
      records = max(records, now.records());
      seconds = max(seconds, now.seconds());
    } catch (Exception unavailable) {
      // A missed sample leaves the peak as it was; no sample at all reports n/a.
    }
  }

  private static double max(double peak, double v) {
    return Double.isNaN(peak) ? v : Double.isNaN(v) ? peak : Math.max(peak, v);
  }

  /** The lag gauges in a metrics text (NaN for one that is missing). */
  static PgbenchRun.LagPeak read(String metrics) {
    double r = Double.NaN;
    double s = Double.NaN;
    Matcher m = GAUGE.matcher(metrics);
    while (m.find()) {
      double v = Double.parseDouble(m.group(2));
      if (m.group(1).equals("records")) {
        r = v;
      } else {
        s = v;
      }
    }
    return new PgbenchRun.LagPeak(r, s);
  }

  /** Stops sampling (after one last sample) and returns the peaks. */
  PgbenchRun.LagPeak stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join();
    return new PgbenchRun.LagPeak(records, seconds);
  }

  /** The peaks in a line's text: "records / s", n/a when never sampled. */
  static String text(PgbenchRun.LagPeak lag) {
    if (lag == null || Double.isNaN(lag.records())) {
      return "n/a";
    }
    return "%.0f / %.2f".formatted(lag.records(), lag.seconds());
  }
}
