package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {

  private static final String LOG =
      """
      [0.009s][info][gc] Using G1
      [6.834s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 15M->3M(256M) 74.133ms
      [7.100s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 40M->12M(256M) 3.5ms
      [7.101s][info][gc] GC(2) Concurrent Mark Cycle
      [7.200s][info][gc] GC(2) Pause Remark 20M->20M(256M) 1.2ms
      [7.300s][info][gc] GC(2) Concurrent Mark Cycle 199.0ms
      [8.052s][info][gc] GC(3) Pause Full (Diagnostic Command) 10M->4M(20M) 75.838ms
      """;

  @Test
  void readsEveryPauseWithItsHeapBeforeAndAfter() {
    List<GcLog.Pause> pauses = GcLog.parse(LOG);
    assertThat(pauses).hasSize(4);
    assertThat(pauses.get(1))
        .isEqualTo(
            new GcLog.Pause(
                1, "Pause Young (Concurrent Start) (G1 Humongous Allocation)", 40, 12, 256, 3.5));
    assertThat(pauses.get(3).full()).isTrue();
    assertThat(pauses.get(0).full()).isFalse();
  }

  @Test
  void summarisesTheCollectionsSinceAMoment() {
    List<GcLog.Pause> pauses = GcLog.parse(LOG);
    GcLog.Window w = GcLog.window(pauses, 1);
    assertThat(w.pauses()).isEqualTo(3);
    assertThat(w.maxAfterMb()).isEqualTo(20);
    assertThat(w.maxBeforeMb()).isEqualTo(40);
    assertThat(GcLog.window(pauses, 4).pauses()).isZero();
  }

  @Test
  void readsHeapInUseOfG1AndOfTheGenerationalCollectors() {
    assertThat(
            GcLog.usedKb(
                """
                28117:
                garbage-first heap   total reserved 262144K, committed 262144K, used 4863K [0x0, 0x1)
                 region size 1024K, 3 young (3072K), 2 survivors (2048K)
                 Metaspace       used 900K, committed 1000K, reserved 1114112K
                """))
        .isEqualTo(4863);
    assertThat(
            GcLog.usedKb(
                """
                 def new generation   total 78656K, used 1000K [0x0, 0x1, 0x2)
                 tenured generation   total 174784K, used 2000K [0x0, 0x1, 0x2)
                 Metaspace       used 900K, committed 1000K, reserved 1114112K
                """))
        .isEqualTo(3000);
    assertThatThrownBy(() -> GcLog.usedKb("12:\nnothing")).hasMessageContaining("nothing about");
  }
}
