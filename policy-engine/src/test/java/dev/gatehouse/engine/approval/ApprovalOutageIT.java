package dev.gatehouse.engine.approval;

import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static dev.gatehouse.engine.audit.AuditFixtures.decision;
import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.AuditFixtures;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.testkit.DisposablePostgres;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hung control database: the listener notices, waiters poll, and notifications come back. */
class ApprovalOutageIT {

  @TempDir Path spool;

  @Test
  void hungServerIsNoticedAndNotificationsResumeAfterwards() throws Exception {
    try (DisposablePostgres pg = DisposablePostgres.create()) {
      try (Connection c = pg.connect("postgres");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE control");
      }
      try (ControlDatabase db =
              ControlDatabase.open(
                  ControlDatabase.Settings.of(pg.jdbcUrl("control"), "postgres", ""));
          JdbcAuditTrail trail =
              JdbcAuditTrail.start(
                  db, AuditFixtures.config("gw-o", AuditFixtures.randomKey(), spool));
          JdbcApprovalService service =
              JdbcApprovalService.start(
                  db,
                  ApprovalConfig.defaults()
                      .withIntervals(
                          Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200)),
                  ApprovalIT.DBA_APPROVES,
                  List.of(),
                  trail,
                  Clock.systemUTC())) {
        ApprovalIT.awaitListening(service);
        pg.freeze();
        long frozen = System.nanoTime();
        try {
          assertThat(within(Duration.ofSeconds(20), () -> !service.listening())).isTrue();
          System.out.printf(
              "hung control database noticed by the listener after %d ms%n",
              (System.nanoTime() - frozen) / 1_000_000);
        } finally {
          pg.thaw();
        }
        assertThat(within(Duration.ofSeconds(20), service::listening)).isTrue();
        ApprovalRequest r =
            service.request(
                principal(ReferencePrincipal.ANALYST),
                context("shop"),
                "TRUNCATE app.orders",
                List.of(),
                decision(Effect.REQUIRE_APPROVAL, "ddl-approval"));
        var waiting = service.awaitDecision(r.id(), Duration.ofSeconds(30));
        service.approve(r.id(), principal(ReferencePrincipal.DBA));
        assertThat(waiting.get(10, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.APPROVED);
      }
    }
  }

  private static boolean within(Duration limit, BooleanSupplier condition) {
    return Eventually.holdsWithin(limit, condition::getAsBoolean);
  }
}
