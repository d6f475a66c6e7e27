package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control database's CPU over a run, from two snapshots of its backends. */
class ControlDbCpuTest {

  @Test
  void aBackendCountsWhatItSpentSinceTheFirstSnapshotAndANewOneFromZero() {
    Map<Long, Double> before = Map.of(10L, 1.0, 11L, 2.0, 12L, 3.0);
    // 10 spent 0.5, 11 nothing, 12 ended during the run (lost), 13 started during it.
    Map<Long, Double> after = Map.of(10L, 1.5, 11L, 2.0, 13L, 0.25);
    assertThat(ControlDbCpu.spent(before, after)).isEqualTo(0.75);
  }

  @Test
  void aPidReusedByAYoungerBackendNeverCountsBelowZero() {
    assertThat(ControlDbCpu.spent(Map.of(10L, 5.0), Map.of(10L, 0.5))).isZero();
  }
}
