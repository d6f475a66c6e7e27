package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.ReferenceGates;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A granted principal's slow-to-analyse statements must not hold the event loops: while the analyst
 * keeps eight connections busy with deeply nested statements (each a new shape, so the analysis
 * cache never answers), support-lead connects and runs a statement within a stated bound. Before
 * analysis moved off the event loop, every client on a loop waited behind the parses queued there.
 */
class AnalysisStarvationIT {

  private static final Logger log = LoggerFactory.getLogger(AnalysisStarvationIT.class);

  /** Attacking connections: more than the event loops and the analyst's share of the parsers. */
  private static final int ATTACKERS = 8;

  /** Connect, authenticate and run one statement, under attack; measured, with room to spare. */
  private static final Duration BOUND = Duration.ofSeconds(3);

  @Test
  void anotherPrincipalConnectsAndRunsWithinTheBoundWhileTheAnalystFloodsTheParser()
      throws Exception {
    WireProxyConfig config =
        new WireProxyConfig(
            "127.0.0.1", 0, null, null, true, 0, 0, null, null, null, null, null, 2, null);
    try (ReferenceGates.Assembly engine = ReferenceGates.create(TestPostgres.SHOP, "");
        WireProxyServer proxy = new WireProxyServer(config, engine.gate()).start()) {
      List<Long> quiet = victim(proxy, 3);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger attacks = new AtomicInteger();
      AtomicInteger sent = new AtomicInteger();
      List<Thread> attackers = new ArrayList<>();
      for (int i = 0; i < ATTACKERS; i++) {
        int id = i;
        attackers.add(Thread.ofPlatform().start(() -> attack(proxy, id, stop, sent, attacks)));
      }
      List<Long> attacked;
      try {
        // The attack is under way once its statements are being analysed and answered.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (attacks.get() < ATTACKERS && System.nanoTime() < deadline) {
          java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        assertThat(attacks.get())
            .as("the attack never got going")
            .isGreaterThanOrEqualTo(ATTACKERS);
        int before = attacks.get();
        attacked = victim(proxy, 5);
        // Still under way: an attacking statement was answered meanwhile, or one is in flight now
        // (support-lead may well finish within one deep statement's analysis).
        assertThat(attacks.get() > before || sent.get() > attacks.get())
            .as("the analyst kept sending while support-lead ran")
            .isTrue();
      } finally {
        stop.set(true);
        for (Thread t : attackers) {
          t.join(Duration.ofSeconds(30));
        }
      }
      log.info(
          "support-lead connect+SELECT ms: quiet {}, under attack {} ({} attacking statements)",
          quiet,
          attacked,
          attacks.get());
      assertThat(attacked)
          .as("support-lead's connect and statement under attack (quiet: %s ms)", quiet)
          .allSatisfy(ms -> assertThat(ms).isLessThan(BOUND.toMillis()));
    }
  }

  /** Connects as support-lead and runs one statement, {@code times} times; milliseconds each. */
  private static List<Long> victim(WireProxyServer proxy, int times) throws SQLException {
    List<Long> took = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      long started = System.nanoTime();
      try (Connection c = connect(proxy, ReferencePrincipal.SUPPORT_LEAD);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT " + i)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(i);
      }
      took.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
    return took;
  }

  /** Deeply nested statements of a new shape each time, until told to stop. */
  private static void attack(
      WireProxyServer proxy,
      int id,
      AtomicBoolean stop,
      AtomicInteger sent,
      AtomicInteger attacks) {
    try (Connection c = connect(proxy, ReferencePrincipal.ANALYST);
        Statement s = c.createStatement()) {
      for (int n = 0; !stop.get(); n++) {
        sent.incrementAndGet();
        try {
          s.execute(deep(id, n));
        } catch (SQLException refused) {
          // refused (too complex, or its deadline passed) is as good as answered for the attack
        }
        attacks.incrementAndGet();
      }
    } catch (SQLException e) {
      log.warn("attacker {} could not connect: {}", id, e.getMessage());
    }
  }

  /** Four groups nested 190 deep (under the analyser's depth limit), named so none repeats. */
  static String deep(int id, int n) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int g = 0; g < 4; g++) {
      if (g > 0) {
        sql.append(", ");
      }
      sql.append("(".repeat(190)).append(g).append(")".repeat(190));
      sql.append(" AS a").append(id).append('_').append(n).append('_').append(g);
    }
    return sql.toString();
  }

  private static Connection connect(WireProxyServer proxy, ReferencePrincipal principal)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", principal.subject());
    p.setProperty("password", ProxyFixture.token(principal));
    p.setProperty("preferQueryMode", "simple");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:"
            + proxy.port()
            + "/"
            + TestPostgres.SHOP
            + "?sslmode=disable",
        p);
  }
}
