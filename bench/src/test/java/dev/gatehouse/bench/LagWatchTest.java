package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipping lag read from a gateway's metrics, and the CPU table built from runs. */
class LagWatchTest {

  @Test
  void theLagGaugesAreReadFromTheMetricsText() {
    String metrics =
        """
        # HELP gatehouse_audit_lag_records records in the local log not yet shipped
        # TYPE gatehouse_audit_lag_records gauge
        gatehouse_audit_lag_records 1234.0
        gatehouse_audit_lag_records_total 9.0
        gatehouse_audit_lag_seconds{instance="gw-1"} 0.25
        gatehouse_audit_lag_bytes 5.0E4
        """;
    PgbenchRun.LagPeak lag = LagWatch.read(metrics);
    assertThat(lag.records()).isEqualTo(1234.0);
    assertThat(lag.seconds()).isEqualTo(0.25);
    assertThat(LagWatch.text(lag)).isEqualTo("1234 / 0.25");
    assertThat(LagWatch.text(LagWatch.read("nothing here"))).isEqualTo("n/a");
  }

  @Test
  void theCpuTableGivesMicrosecondsPerTransactionAndTheRatio() {
    List<PgbenchRun> runs =
        List.of(
            run("haproxy", 0.5, null), // 500,000 µs over 10,000 transactions: 50 µs each
            run("pgbouncer", 0.8, null),
            run("gatehouse", 2.0, new PgbenchRun.LagPeak(12, 0.1)));
    assertThat(runs.getFirst().proxyCpuMicrosPerTransaction()).isEqualTo(50.0);
    String table = WireReport.cpuTable(runs);
    assertThat(table).contains("| prepared | 8 | 50 | 80 | 200 | 4.0 | 12 / 0.10 | 50 |");
    assertThat(table).contains("| simple | 1 | n/a | n/a | n/a | n/a | n/a | n/a |");
  }

  private static PgbenchRun run(String target, double cpuSeconds, PgbenchRun.LagPeak lag) {
    return new PgbenchRun(
        target,
        "prepared",
        8,
        1,
        new PgbenchOutput(10_000, 0, 1.0, 5000),
        null,
        Double.NaN,
        cpuSeconds,
        target.equals("gatehouse") ? 0.5 : Double.NaN,
        lag,
        List.of());
  }
}
