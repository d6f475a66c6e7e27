package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void nearestRankOnAHundredSamples() {
    long[] shuffled = LongStream.rangeClosed(1, 100).map(i -> (i * 37) % 101).toArray();
    Latencies l = Latencies.of(shuffled);
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.meanNanos()).isEqualTo(50);
    assertThat(l.minNanos()).isEqualTo(1);
    assertThat(l.medianNanos()).isEqualTo(50);
    assertThat(l.p90Nanos()).isEqualTo(90);
    assertThat(l.p95Nanos()).isEqualTo(95);
    assertThat(l.p99Nanos()).isEqualTo(99);
    assertThat(l.maxNanos()).isEqualTo(100);
  }

  @Test
  void smallSeriesTakeTheSampleAtOrAboveTheRank() {
    Latencies l = Latencies.of(new long[] {30, 10, 20});
    assertThat(l.medianNanos()).isEqualTo(20);
    assertThat(l.p99Nanos()).isEqualTo(30);
    assertThat(Latencies.of(new long[] {7}).p90Nanos()).isEqualTo(7);
  }

  @Test
  void leavesTheInputAloneAndRefusesNoSamples() {
    long[] input = {3, 1, 2};
    Latencies.of(input);
    assertThat(input).containsExactly(3, 1, 2);
    assertThatThrownBy(() -> Latencies.of(new long[0])).hasMessageContaining("no samples");
  }

  @Test
  void millisecondsForTablesAndJson() {
    assertThat(Latencies.ms(1_234_567)).isEqualTo("1.23");
    assertThat(Latencies.of(new long[] {1_234_567}).toJson()).containsEntry("medianMs", 1.235);
  }
}
