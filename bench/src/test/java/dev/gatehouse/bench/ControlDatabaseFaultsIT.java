package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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
    // A session opened before the outage: the victim reconnects after each refusal and its
    // connects are refused too, so it may not get a statement refused at all.
    Connection session = connect();
    List<Integer> refusedHere = new ArrayList<>();
    long t0 = System.nanoTime();
    f.control.down();
    prlimitFileSize("1");
    long back;
    try (Statement st = session.createStatement()) {
      for (int n = 900_000; n < 900_005; n++) {
        try {
          st.executeUpdate("INSERT INTO " + FaultStack.TABLE + " VALUES (" + n + ")");
          throw new AssertionError("statement " + n + " ran while the audit trail was down");
        } catch (SQLException e) {
          assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("XX000");
          assertThat(e.getMessage()).contains("the audit trail cannot be written");
          refusedHere.add(n);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (f.victim.failuresSince(t0).size() < 10 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // None of the refused attempts is in the spool: the full disk took nothing, they are held
      // in memory, and (asserted below) reach the trail all the same.
      String spooled = Files.readString(spoolFile());
      for (int n : refusedHere) {
        assertThat(spooled).doesNotContain("VALUES (" + n + ")");
      }
      // The control database is back; the spool's disk stays full.
      f.control.up();
      back = System.nanoTime();
      f.assertVictimServed(40, Duration.ofSeconds(60));
    } finally {
      f.control.up();
      prlimitFileSize("unlimited");
      session.close();
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
    for (int n : refusedHere) {
      assertThat(trail.decisions()).as("the refused attempt %d is on record", n).containsKey(n);
    }
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

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", ReferencePrincipal.ETL_NIGHTLY.subject());
    p.setProperty("password", f.token(ReferencePrincipal.ETL_NIGHTLY));
    p.setProperty("sslmode", "disable");
    p.setProperty("socketTimeout", "60");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + f.wirePort() + "/shop", p);
  }

  /** The gateway's spool file: its config's {@code spoolDirectory}, {@code spool}. */
  private static Path spoolFile() {
    Path spool = f.gateway.logFile().getParent().resolve("spool").resolve("audit-spool.jsonl");
    assertThat(spool).as("the gateway's audit spool").exists();
    return spool;
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
