package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of what the packaged gateway stands on (docs/operations.md, "Faults"): the control
 * database down, slow, hung and failing over; the upstream restarted mid-session; the local audit
 * log's disk full. A victim ({@code etl-nightly}) inserts through the gateway all along; each fault
 * asserts its documented behaviour and that the gateway recovers by itself, and the last test that
 * the trail's completed statements are exactly those the victim saw succeed, and that {@code audit
 * verify} passes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFaultsIT {

  static FaultStack f;

  @BeforeAll
  static void start() throws Exception {
    f = FaultStack.start("faults-db");
  }

  @AfterAll
  static void stop() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  /** With the local log (the default) a record is durable before it ships: statements run on. */
  @Test
  @Order(1)
  void controlDatabaseDownKeepsServingAndShipsWhenItIsBack() throws Exception {
    long t0 = System.nanoTime();
    f.control.down();
    try {
      f.assertVictimServed(40, Duration.ofSeconds(30));
      assertThat(f.victim.failuresSince(t0)).isEmpty();
    } finally {
      f.control.up();
    }
    f.assertTrailHoldsAcknowledged();
  }

  @Test
  @Order(2)
  void slowControlDatabaseKeepsServing() throws Exception {
    long t0 = System.nanoTime();
    f.control.delay(300);
    try {
      f.assertVictimServed(40, Duration.ofSeconds(30));
      assertThat(f.victim.failuresSince(t0)).isEmpty();
      f.assertTrailHoldsAcknowledged(); // shipping goes on, slowly
    } finally {
      f.control.delay(0);
    }
  }

  @Test
  @Order(3)
  void hungControlDatabaseKeepsServingAndShipsWhenItAnswersAgain() throws Exception {
    long t0 = System.nanoTime();
    f.control.hang();
    try {
      f.assertVictimServed(40, Duration.ofSeconds(30));
      assertThat(f.victim.failuresSince(t0)).isEmpty();
    } finally {
      f.control.resume();
    }
    f.assertTrailHoldsAcknowledged();
  }

  /** Every pooled connection is reset and a server answers on the same address at once. */
  @Test
  @Order(4)
  void controlDatabaseFailingOverKeepsServingAndShipsToTheNewServer() throws Exception {
    long t0 = System.nanoTime();
    f.control.down();
    f.control.up();
    f.assertVictimServed(40, Duration.ofSeconds(30));
    assertThat(f.victim.failuresSince(t0)).isEmpty();
    f.assertTrailHoldsAcknowledged();
  }

  /**
   * The upstream goes away under open sessions and comes back on the same address: those sessions
   * end with an error, new sessions are refused while it is away and served once it is back.
   */
  @Test
  @Order(5)
  void upstreamRestartedMidSessionEndsOpenSessionsAndNewOnesWorkAfterwards() throws Exception {
    try (Connection c = connect(ReferencePrincipal.ANALYST);
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT count(*) FROM app.orders").close();
      f.upstream.down();
      try {
        SQLException seen =
            catchSql(() -> s.executeQuery("SELECT count(*) FROM app.orders").close());
        System.out.println(
            "upstream restart: an open session saw "
                + seen.getSQLState()
                + " "
                + seen.getMessage());
        assertThat(seen.getMessage()).contains("upstream");
        assertThat(c.isValid(2)).as("the session ended").isFalse();
        SQLException refused = catchSql(() -> connect(ReferencePrincipal.ANALYST).close());
        System.out.println(
            "upstream away: a new session saw "
                + refused.getSQLState()
                + " "
                + refused.getMessage());
        assertThat(refused.getMessage()).contains("upstream");
      } finally {
        f.upstream.up();
      }
    }
    f.assertVictimServed(40, Duration.ofSeconds(60));
    try (Connection c = connect(ReferencePrincipal.ANALYST);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM app.customers")) {
      assertThat(rs.next()).isTrue();
    }
    f.assertTrailHoldsAcknowledged();
  }

  /**
   * The local audit log cannot be written (the gateway process's file-size limit lowered below its
   * segment with {@code prlimit}: every write fails with EFBIG, as on a full disk, without root):
   * statements are refused (fail closed); when writes succeed again they are served, and the
   * refused attempts reach the trail too.
   */
  @Test
  @Order(6)
  void auditLogThatCannotBeWrittenFailsClosedAndRecovers() throws Exception {
    long t0 = System.nanoTime();
    prlimitFileSize("1");
    long restored;
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (f.victim.failuresSince(t0).size() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      prlimitFileSize("unlimited");
      restored = System.nanoTime();
    }
    List<Victim.Failure> refused = f.victim.failuresSince(t0);
    System.out.println(
        "audit log unwritable: the victim was refused "
            + refused.size()
            + " times ("
            + refused.stream().filter(x -> x.n() >= 0).count()
            + " statements, the rest while connecting), first: "
            + (refused.isEmpty() ? "none" : refused.getFirst().message()));
    assertThat(refused).hasSizeGreaterThanOrEqualTo(5);
    assertThat(refused)
        .allSatisfy(
            x -> {
              assertThat(x.sqlState()).isEqualTo("XX000");
              assertThat(x.message()).contains("the audit trail cannot be written");
            });
    // Fail closed: nothing the victim sent after the first refusal succeeded until the limit
    // rose again.
    long firstRefusal = refused.getFirst().atNanos();
    assertThat(
            f.victim.samplesBetween(firstRefusal, restored).stream()
                .filter(x -> !x.connect())
                .toList())
        .isEmpty();
    f.assertVictimServed(40, Duration.ofSeconds(30));
    f.assertTrailHoldsAcknowledged();
    Trail.Victim trail = Trail.read(f.stack, FaultStack.TABLE);
    for (Victim.Failure x : refused) {
      if (x.n() >= 0) {
        assertThat(trail.decisions())
            .as("the refused attempt %d is on record", x.n())
            .containsKey(x.n());
      }
    }
  }

  @Test
  @Order(99)
  void theTrailHoldsExactlyTheAcknowledgedStatementsAndVerifies() throws Exception {
    String verify = f.finish();
    System.out.println(
        "database faults: "
            + f.victim.ackedCount()
            + " acknowledged, "
            + f.victim.failureCount()
            + " failures "
            + f.victim.failuresSince(0)
            + "; audit verify: "
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

  private static Connection connect(ReferencePrincipal who) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", who.subject());
    p.setProperty("password", f.token(who));
    p.setProperty("sslmode", "disable");
    p.setProperty("socketTimeout", "60");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + f.wirePort() + "/shop", p);
  }

  interface SqlRunnable {
    void run() throws SQLException;
  }

  private static SQLException catchSql(SqlRunnable r) {
    try {
      r.run();
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("expected the statement to fail, and it succeeded");
  }
}
