package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PsqlRunTest {

  @Test
  void readsPeakRssAndCpuFromTime() {
    assertThat(PsqlRun.parse(1.5, "409600 0.84 0.21\n")).isEqualTo(new PsqlRun(1.5, 409600, 1.05));
  }

  @Test
  void anythingPsqlPrintedIsAFailure() {
    assertThatThrownBy(() -> PsqlRun.parse(1, "WARNING:  something\n409600 0.84 0.21"))
        .hasMessageContaining("psql said more than expected");
    assertThatThrownBy(() -> PsqlRun.parse(1, "Command exited with non-zero status 1"))
        .hasMessageContaining("psql said more than expected");
  }

  @Test
  void readsCpuTicksPastACommandNameWithSpaces() {
    String stat =
        "4242 (java (x) y) S 1 2 3 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 40 0 9 1 1 18446744073";
    assertThat(CpuTime.parse(stat)).isEqualTo(3.8);
  }
}
