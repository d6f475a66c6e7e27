package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static dev.gatehouse.engine.audit.AuditFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.testkit.DisposablePostgres;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control database that goes away: statements fail closed promptly, records are spooled, and
 * nothing is lost when the database (or the gateway) comes back. Runs on a private server that the
 * test stops and starts.
 */
class AuditOutageIT {

  private static DisposablePostgres pg;
  private static int databases;

  @TempDir Path spool;

  @BeforeAll
  static void startServer() {
    pg = DisposablePostgres.create();
  }

  @AfterAll
  static void removeServer() {
    pg.close();
  }

  private static ControlDatabase newControlDatabase() throws SQLException {
    pg.start();
    String name = "control_" + (++databases);
    try (Connection c = pg.connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return ControlDatabase.open(ControlDatabase.Settings.of(pg.jdbcUrl(name), "postgres", ""));
  }

  private AuditConfig config(AuditKey key) {
    return AuditFixtures.config("gw-outage", key, spool)
        .withTimings(Duration.ofMillis(2), Duration.ofSeconds(1), Duration.ofMillis(100))
        .withFailOpen(Set.of("reports"));
  }

  @Test
  void controlDatabaseDownFailsClosedAndRecoversWithoutLoss() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key))) {
      trail.statement(read(analyst, "shop", "SELECT 1", List.of())).durable().get();

      pg.stop();
      List<UUID> refused = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        StatementAudit a = trail.statement(read(analyst, "shop", "SELECT " + i, List.of()));
        long start = System.nanoTime();
        // The front end waits for durable() before results flow: it fails, so the statement is
        // refused.
        assertThatThrownBy(() -> a.durable().join())
            .isInstanceOf(CompletionException.class)
            .hasCauseInstanceOf(AuditUnavailableException.class)
            .cause()
            .hasMessageStartingWith("audit trail unavailable");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("outage: durable() failed after " + millis + " ms");
        assertThat(millis).isLessThan(2_500);
        a.complete(
            new StatementOutcome(
                0, Duration.ZERO, List.of(), "42501", "audit trail unavailable", List.of()));
        refused.add(a.id());
      }
      trail.authentication(
          new AuthEvent(
              Instant.now(),
              Channel.WIRE,
              "shop",
              "psql",
              "127.0.0.1",
              null,
              null,
              "token expired"));
      // A database configured to fail open keeps running, loudly.
      trail.statement(read(analyst, "reports", "SELECT 2", List.of())).durable().get();
      assertThat(trail.healthy()).isFalse();
      // The backlog is what the spool holds: the refused attempts, their outcomes, the rest. A
      // batch the writer holds while it tries the database counts once it fails back to the
      // spool: on a loaded machine that can come after the last statement was refused (CI).
      Eventually.await(
          "the 12 records of the outage in the backlog",
          Duration.ofSeconds(10),
          () -> trail.lag().records() >= 12);
      assertThat(trail.lag().bytes()).isPositive();
      assertThat(trail.lag().seconds()).isPositive();

      pg.start();
      long back = System.nanoTime();
      // A client retries; attempts refused before the writer noticed the database is back are
      // recorded too.
      int attempts =
          awaitDurable(() -> trail.statement(read(analyst, "shop", "SELECT 3", List.of())));
      System.out.println(
          "outage: resumed " + (System.nanoTime() - back) / 1_000_000 + " ms after restart");
      assertThat(trail.healthy()).isTrue();
      // 1 before + 5 refused + 5 outcomes + 1 auth + 1 fail-open + the attempts after.
      AuditTrailIT.awaitCommitted(trail, 13 + attempts);
      long drained = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (trail.lag().records() > 0 && System.nanoTime() < drained) {
        Thread.sleep(10);
      }
      assertThat(trail.lag()).isEqualTo(AuditLag.NONE);
      for (UUID id : refused) {
        assertThat(AuditTrailIT.count(db, "id = '" + id + "'")).isEqualTo(1);
        assertThat(
                AuditTrailIT.count(db, "kind = 'OUTCOME' AND doc ->> 'statementId' = '" + id + "'"))
            .isEqualTo(1);
      }
      assertThat(AuditTrailIT.count(db, "kind = 'AUTHENTICATION'")).isEqualTo(1);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  @Test
  void gatewayRestartedDuringOutageReplaysItsSpool() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal etl = principal(ReferencePrincipal.ETL_NIGHTLY);
    List<UUID> pending = new ArrayList<>();
    ControlDatabase.Settings settings;
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key))) {
      settings = db.settings();
      trail.statement(read(etl, "shop", "SELECT 1", List.of())).durable().get();
      pg.stop();
      for (int i = 0; i < 20; i++) {
        StatementAudit a = trail.statement(read(etl, "shop", "SELECT " + i, List.of()));
        pending.add(a.id());
        a.complete(new StatementOutcome(0, Duration.ZERO, List.of(), null, null, List.of()));
      }
    } // the gateway stops while the control database is down

    pg.start();
    // A new process: new pool, same instance id and spool directory.
    try (ControlDatabase db = ControlDatabase.open(settings)) {
      try (JdbcAuditTrail restarted = JdbcAuditTrail.start(db, config(key))) {
        // The new process committed, at start, what the old one had only spooled: 20 statements
        // and 20 outcomes; so its first statement is not refused.
        assertThat(restarted.committed()).isEqualTo(40);
        assertThat(restarted.healthy()).isTrue();
        restarted.statement(read(etl, "shop", "SELECT 'after restart'", List.of())).durable().get();
      }
      assertThat(AuditTrailIT.count(db, "true")).isEqualTo(42);
      for (UUID id : pending) {
        assertThat(AuditTrailIT.count(db, "id = '" + id + "'")).isEqualTo(1);
      }
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  @Test
  void gatewayStartsWhileTheControlDatabaseIsDown() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    pg.start();
    String name = "control_" + (++databases);
    try (Connection c = pg.connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    pg.stop();
    try (ControlDatabase db =
            ControlDatabase.connect(ControlDatabase.Settings.of(pg.jdbcUrl(name), "postgres", ""));
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key))) {
      StatementAudit refused = trail.statement(read(analyst, "shop", "SELECT 1", List.of()));
      assertThatThrownBy(() -> refused.durable().join())
          .hasCauseInstanceOf(AuditUnavailableException.class);
      // Fail-open databases work from the first statement on.
      trail.statement(read(analyst, "reports", "SELECT 2", List.of())).durable().get();

      pg.start();
      int attempts =
          awaitDurable(() -> trail.statement(read(analyst, "shop", "SELECT 3", List.of())));
      AuditTrailIT.awaitCommitted(trail, 2 + attempts);
      assertThat(AuditTrailIT.count(db, "id = '" + refused.id() + "'")).isEqualTo(1);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().ok()).isTrue();
    }
  }

  @Test
  void hungControlDatabaseFailsClosedWithinTheTimeout() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key))) {
      trail.statement(read(analyst, "shop", "SELECT 1", List.of())).durable().get();
      pg.freeze();
      List<UUID> refused = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          StatementAudit a = trail.statement(read(analyst, "shop", "SELECT " + i, List.of()));
          long start = System.nanoTime();
          assertThatThrownBy(() -> a.durable().join())
              .hasCauseInstanceOf(AuditUnavailableException.class);
          long millis = (System.nanoTime() - start) / 1_000_000;
          System.out.println("hung: durable() failed after " + millis + " ms");
          assertThat(millis).isBetween(500L, 2_500L);
          refused.add(a.id());
        }
        // Nothing failed, the commit just hangs: the health says so all the same.
        assertThat(trail.healthy()).isFalse();
      } finally {
        pg.thaw();
      }
      awaitDurable(() -> trail.statement(read(analyst, "shop", "SELECT 4", List.of())));
      assertThat(trail.healthy()).isTrue();
      for (UUID id : refused) {
        Eventually.holdsWithin(
            Duration.ofSeconds(30), () -> countSafelyWhere(db, "id = '" + id + "'") >= 1);
        assertThat(AuditTrailIT.count(db, "id = '" + id + "'")).isEqualTo(1);
      }
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  private static long countSafelyWhere(ControlDatabase db, String where) {
    try {
      return AuditTrailIT.count(db, where);
    } catch (SQLException e) {
      return -1;
    }
  }

  private static long countSafely(ControlDatabase db) {
    try {
      return AuditTrailIT.count(db, "true");
    } catch (SQLException e) {
      return -1; // a pooled connection from before the restart
    }
  }

  /** Offers statements until one is durable (the trail is back); returns how many it took. */
  private static int awaitDurable(java.util.function.Supplier<StatementAudit> statement) {
    int[] attempts = {0};
    Eventually.await(
        "a durable statement record",
        Duration.ofSeconds(20),
        () -> {
          attempts[0]++;
          try {
            statement.get().durable().join();
            return true;
          } catch (CompletionException e) {
            return false;
          }
        });
    return attempts[0];
  }
}
