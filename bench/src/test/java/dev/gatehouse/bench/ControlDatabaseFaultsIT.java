package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway with {@code durability: control-database} (docs/operations.md, "Faults"):
 * the control database goes down and the audit spool's disk is full (the gateway process's
 * file-size limit lowered with {@code prlimit}: every spool append fails with EFBIG, as on a full
 * disk, without root). Statements are refused (fail closed) and their records held in memory; the
 * control database comes back while the disk is still full, the victim is served again, every
 * refused attempt is on record, the trail's completed statements are exactly those the victim saw
 * succeed, and {@code gatehouse audit verify} passes.
 */
class ControlDatabaseFaultsIT {

  static FaultStack f;

  @BeforeAll
  static void start() throws Exception {
    f = FaultStack.start("faults-spool", "control-database");
  }

  @AfterAll
  static void stop() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void refusedAttemptsAreKeptInMemoryAndReachTheTrailWhenTheDatabaseIsBack() throws Exception {
    long t0 = System.nanoTime();
    f.control.down();
    prlimitFileSize("1");
    long back;
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (f.victim.failuresSince(t0).size() < 10 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // The control database is back; the spool's disk stays full.
      f.control.up();
      back = System.nanoTime();
      f.assertVictimServed(40, Duration.ofSeconds(60));
    } finally {
      f.control.up();
      prlimitFileSize("unlimited");
    }
    List<Victim.Failure> refused = f.victim.failuresSince(t0);
    System.out.println(
        "control database down, spool disk full: the victim was refused "
            + refused.size()
            + " times ("
            + refused.stream().filter(x -> x.n() >= 0).count()
            + " statements, the rest while connecting), first: "
            + (refused.isEmpty() ? "none" : refused.getFirst().message())
            + "; served again "
            + (System.nanoTime() - back) / 1_000_000
            + " ms after the database came back");
    assertThat(refused).hasSizeGreaterThanOrEqualTo(10);
    assertThat(refused)
        .allSatisfy(
            x -> {
              assertThat(x.sqlState()).isEqualTo("XX000");
              assertThat(x.message()).contains("the audit trail cannot be written");
            });
    // Fail closed: nothing the victim sent between the first refusal and the database's return
    // succeeded.
    assertThat(
            f.victim.samplesBetween(refused.getFirst().atNanos(), back).stream()
                .filter(x -> !x.connect())
                .toList())
        .isEmpty();
    f.assertTrailHoldsAcknowledged();
    Trail.Victim trail = Trail.read(f.stack, FaultStack.TABLE);
    long statements = refused.stream().filter(x -> x.n() >= 0).count();
    assertThat(statements).as("refused statements, not only connects").isPositive();
    for (Victim.Failure x : refused) {
      if (x.n() >= 0) {
        assertThat(trail.decisions())
            .as("the refused attempt %d is on record", x.n())
            .containsKey(x.n());
      }
    }
    String verify = f.finish();
    System.out.println(
        "spool disk full: "
            + f.victim.ackedCount()
            + " acknowledged, "
            + f.victim.failureCount()
            + " failures; audit verify: "
            + verify);
  }

  private static void prlimitFileSize(String soft) throws Exception {
    Process p =
        new ProcessBuilder(
                "prlimit", "--pid", Long.toString(f.gateway.pid()), "--fsize=" + soft + ":")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
