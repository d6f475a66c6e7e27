package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pgbench summary parser, on output pgbench 15 really printed (bench/src/test/resources). */
class PgbenchOutputTest {

  @Test
  void readsASelectOnlyRunThroughTheGateway() throws IOException {
    PgbenchOutput out = PgbenchOutput.parse(sample("select-only-gatehouse-prepared-32.txt"));

    assertThat(out.transactions()).isEqualTo(691);
    assertThat(out.failed()).isZero();
    assertThat(out.latencyMs()).isCloseTo(45.330, within(1e-9));
    // The throughput without the initial connection time, not the connection time itself.
    assertThat(out.tps()).isCloseTo(705.939804, within(1e-9));
  }

  @Test
  void readsATpcbLikeRun() throws IOException {
    PgbenchOutput out = PgbenchOutput.parse(sample("tpcb-prepared-4.txt"));

    assertThat(out).isEqualTo(new PgbenchOutput(2618, 0, 3.050, 1311.524028));
  }

  @Test
  void readsFailedTransactions() throws IOException {
    String text =
        sample("tpcb-prepared-4.txt")
            .replace(
                "number of failed transactions: 0 (0.000%)",
                "number of failed transactions: 12 (0.456%)");

    assertThat(PgbenchOutput.parse(text).failed()).isEqualTo(12);
  }

  @Test
  void refusesAnAbortedRunAndSaysWhy() throws IOException {
    // pgbench still prints a summary (0 transactions) after its clients aborted.
    assertThatThrownBy(() -> PgbenchOutput.parse(sample("aborted-permission-denied.txt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pgbench aborted the run")
        .hasMessageContaining("permission denied for table pgbench_accounts");
  }

  @Test
  void refusesOutputWithoutASummary() throws IOException {
    assertThatThrownBy(() -> PgbenchOutput.parse(sample("connection-refused.txt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no `number of transactions actually processed` line")
        .hasMessageContaining("Connection refused");
  }

  @Test
  void namesTheMissingLine() throws IOException {
    String withoutTps =
        sample("select-only-gatehouse-prepared-32.txt").replaceAll("(?m)^tps = .*$", "");

    assertThatThrownBy(() -> PgbenchOutput.parse(withoutTps))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pgbench output has no `tps` line");
  }

  private static String sample(String name) throws IOException {
    try (InputStream in = PgbenchOutputTest.class.getResourceAsStream("/pgbench/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
