package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the gateway's clients (docs/operations.md, "Faults"): one that stops reading in the
 * middle of a large result, a half-open connection, slowloris sockets, a token that expires
 * mid-session. A victim ({@code etl-nightly}) inserts through the same packaged gateway all along
 * and must keep being served; the trail holds exactly what it saw succeed and {@code audit verify}
 * passes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientFaultsIT {

  static FaultStack f;

  @BeforeAll
  static void start() throws Exception {
    f = FaultStack.start("faults-client");
  }

  @AfterAll
  static void stop() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  /**
   * About 300 MB asked for, and the client reads a few rows and stops: the gateway stops reading
   * upstream (the upstream backend waits to write to it), others are served, and closing the
   * stalled socket ends the upstream statement.
   */
  @Test
  @Order(1)
  void aClientThatStopsReadingHoldsOnlyItsOwnStatement() throws Exception {
    long t0 = System.nanoTime();
    try (RawWire stalled =
        RawWire.login(
            f.wirePort(), "etl-nightly", f.token(ReferencePrincipal.ETL_NIGHTLY), Map.of())) {
      stalled.socket.setReceiveBufferSize(16 * 1024);
      stalled.query("SELECT i, repeat('stalled', 150) FROM generate_series(1, 300000) i");
      for (int i = 0; i < 10; i++) {
        stalled.next(); // a few rows, then nothing more is read
      }
      assertThat(awaitUpstream("wait_event = 'ClientWrite'", 1, Duration.ofSeconds(60)))
          .as("the upstream backend is held up writing to the gateway")
          .isEqualTo(1);
      f.assertVictimServed(40, Duration.ofSeconds(30));
      assertThat(f.victim.failuresSince(t0)).isEmpty();
      assertThat(awaitUpstream("true", 1, Duration.ofSeconds(1))).isEqualTo(1);
    }
    assertThat(awaitUpstream("true", 0, Duration.ofSeconds(30)))
        .as("closing the stalled client ends its upstream statement")
        .isZero();
    f.assertTrailHoldsAcknowledged();
  }

  /**
   * A peer that vanished without a FIN looks, to the gateway, like a client that says nothing: its
   * session and upstream connection are released at {@code wire.idleTimeout}.
   */
  @Test
  @Order(2)
  void aHalfOpenSessionIsClosedAtTheIdleTimeout() throws Exception {
    try (RawWire silent =
        RawWire.login(f.wirePort(), "analyst", f.token(ReferencePrincipal.ANALYST), Map.of())) {
      long t0 = System.nanoTime();
      silent.socket.setSoTimeout((int) FaultStack.IDLE_TIMEOUT.plusSeconds(30).toMillis());
      RawWire.Message last = silent.untilClosed();
      Duration after = Duration.ofNanos(System.nanoTime() - t0);
      System.out.println(
          "half-open: closed after " + after.toMillis() + " ms with " + describe(last));
      assertThat(last).isNotNull();
      assertThat(last.sqlState()).isEqualTo("57P05");
      assertThat(after)
          .isBetween(
              FaultStack.IDLE_TIMEOUT.minusMillis(500), FaultStack.IDLE_TIMEOUT.plusSeconds(20));
    }
    f.assertVictimServed(20, Duration.ofSeconds(30));
  }

  /**
   * Sockets that send a startup packet a byte at a time are closed at {@code wire.startupTimeout}
   * with 08P01, while authenticated clients are served.
   */
  @Test
  @Order(3)
  void slowlorisSocketsAreClosedAtTheStartupTimeout() throws Exception {
    long t0 = System.nanoTime();
    byte[] startup = RawWire.startup("analyst", Map.of());
    List<RawWire> sockets = new ArrayList<>();
    List<Long> opened = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        sockets.add(new RawWire(f.wirePort()));
        opened.add(System.nanoTime());
      }
      Thread trickle = Thread.ofPlatform().daemon().start(() -> trickle(sockets, startup));
      f.assertVictimServed(20, Duration.ofSeconds(30));
      assertThat(f.victim.failuresSince(t0)).isEmpty();
      long worst = 0;
      int timedOut = 0;
      for (int i = 0; i < sockets.size(); i++) {
        RawWire s = sockets.get(i);
        s.socket.setSoTimeout(30_000);
        RawWire.Message last = s.untilClosed();
        assertThat(last).as("socket %d's last message", i).isNotNull();
        // closed at the startup timeout (08P01), or earlier to make room for the newer sockets of
        // the same address (53300, quotas.unauthenticatedPerAddress)
        assertThat(last.sqlState()).isIn("08P01", "53300");
        timedOut += last.sqlState().equals("08P01") ? 1 : 0;
        worst = Math.max(worst, System.nanoTime() - opened.get(i));
      }
      trickle.interrupt();
      assertThat(timedOut).as("sockets closed at the startup timeout").isPositive();
      System.out.println(
          "slowloris: 100 sockets closed, the last " + worst / 1_000_000 + " ms after it opened");
      assertThat(Duration.ofNanos(worst))
          .isBetween(FaultStack.STARTUP_TIMEOUT, FaultStack.STARTUP_TIMEOUT.plusSeconds(20));
    } finally {
      for (RawWire s : sockets) {
        s.close();
      }
    }
  }

  /** The session ends with 28000 at its first statement after the token's expiry. */
  @Test
  @Order(4)
  void aTokenThatExpiresMidSessionEndsTheSessionAtItsNextStatement() throws Exception {
    Duration ttl = Duration.ofSeconds(6);
    long issued = System.nanoTime();
    String token = TestIssuer.get().personToken(ReferencePrincipal.ANALYST, ttl);
    Properties p = new Properties();
    p.setProperty("user", "analyst");
    p.setProperty("password", token);
    p.setProperty("sslmode", "disable");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + f.wirePort() + "/shop", p);
        Statement s = c.createStatement()) {
      SQLException ended = null;
      long deadline = issued + ttl.plusSeconds(30).toNanos();
      int served = 0;
      while (ended == null && System.nanoTime() < deadline) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM app.customers")) {
          rs.next();
          served++;
        } catch (SQLException e) {
          ended = e;
        }
        Thread.sleep(200);
      }
      LongSupplier elapsed = () -> (System.nanoTime() - issued) / 1_000_000;
      System.out.println(
          "token expiry: "
              + served
              + " statements served, then after "
              + elapsed.getAsLong()
              + " ms: "
              + (ended == null ? "nothing" : ended.getSQLState() + " " + ended.getMessage()));
      assertThat(served).isPositive();
      assertThat((Object) ended).isNotNull();
      assertThat(ended.getSQLState()).isEqualTo("28000");
      assertThat(ended.getMessage()).contains("token expired");
      // Not before the token's expiry (less a second of the issuer's rounding to whole seconds).
      assertThat(elapsed.getAsLong()).isGreaterThanOrEqualTo(ttl.minusSeconds(1).toMillis());
      assertThat(c.isValid(2)).isFalse();
      assertThatThrownBy(() -> s.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
    }
    f.assertVictimServed(20, Duration.ofSeconds(30));
  }

  @Test
  @Order(99)
  void theTrailHoldsExactlyTheAcknowledgedStatementsAndVerifies() throws Exception {
    String verify = f.finish();
    System.out.println(
        "client faults: "
            + f.victim.ackedCount()
            + " acknowledged, "
            + f.victim.failureCount()
            + " failures "
            + f.victim.failuresSince(0)
            + "; audit verify: "
            + verify);
  }

  private static void trickle(List<RawWire> sockets, byte[] startup) {
    // One byte per socket every 500 ms: the whole packet would take far longer than the timeout.
    for (int i = 0; i < startup.length && !Thread.currentThread().isInterrupted(); i++) {
      for (RawWire s : sockets) {
        try {
          s.out.write(startup[i]);
          s.out.flush();
        } catch (IOException e) {
          // closed by the gateway: the point
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waits until the upstream has {@code expected} backends running the stalled query. */
  private static int awaitUpstream(String condition, int expected, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int n;
    do {
      try (Connection c = f.stack.pg().connectAsAdmin("postgres");
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                      + " AND state = 'active' AND query LIKE '%repeat(''stalled''%' AND "
                      + condition)) {
        rs.next();
        n = rs.getInt(1);
      }
      if (n != expected) {
        Thread.sleep(100);
      }
    } while (n != expected && System.nanoTime() < deadline);
    return n;
  }

  private static String describe(RawWire.Message m) {
    return m == null ? "no error" : m.sqlState();
  }
}
