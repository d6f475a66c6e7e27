package dev.gatehouse.engine.approval;

import static dev.gatehouse.engine.audit.AuditFixtures.analysis;
import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static dev.gatehouse.engine.audit.AuditFixtures.decision;
import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.AuditFixtures;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.testkit.ManualClock;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An approval that, once used, opens a time-boxed window for its principal and statement class. */
class ApprovalWindowIT {

  @TempDir Path spool;

  @Test
  void usedApprovalOpensAWindowForTheSamePrincipalClassAndDatabase() throws Exception {
    Principal etl = principal(ReferencePrincipal.ETL_NIGHTLY);
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    Principal dba = principal(ReferencePrincipal.DBA);
    Analysis write =
        analysis(
            "DELETE FROM app.orders WHERE id = 1",
            "DELETE",
            StatementClass.WRITE,
            Set.of(),
            Set.of("app.orders"),
            Set.of());
    Analysis otherWrite =
        analysis(
            "UPDATE app.orders SET status = 'x' WHERE id = 2",
            "UPDATE",
            StatementClass.WRITE,
            Set.of(),
            Set.of("app.orders"),
            Set.of());
    Analysis ddl =
        analysis(
            "DROP TABLE app.orders",
            "DROP TABLE",
            StatementClass.DDL,
            Set.of(),
            Set.of("app.orders"),
            Set.of());
    ManualClock clock = new ManualClock(Instant.now());
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail =
            JdbcAuditTrail.start(
                db, AuditFixtures.config("gw-w", AuditFixtures.randomKey(), spool));
        JdbcApprovalService service =
            JdbcApprovalService.start(
                db,
                ApprovalConfig.defaults().withWindow(Duration.ofMinutes(10)),
                ApprovalIT.DBA_APPROVES,
                List.of(),
                trail,
                clock)) {
      ApprovalRequest r =
          service.request(
              etl,
              context("shop"),
              write.sql(),
              List.of(),
              decision(Effect.REQUIRE_APPROVAL, "etl-deletes"),
              write);
      // Nothing is open before the approval is used.
      assertThat(service.openWindow(etl, "shop", otherWrite)).isEmpty();
      service.approve(r.id(), dba);
      assertThat(service.openWindow(etl, "shop", otherWrite)).isEmpty();
      service.consume(r.id(), etl, "shop", write.sql(), List.of());

      assertThat(service.openWindow(etl, "shop", otherWrite))
          .hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(r.id()));
      assertThat(service.openWindow(etl, "shop", ddl)).isEmpty();
      assertThat(service.openWindow(etl, "shop_copy", otherWrite)).isEmpty();
      assertThat(service.openWindow(analyst, "shop", otherWrite)).isEmpty();

      clock.advance(Duration.ofMinutes(9));
      assertThat(service.openWindow(etl, "shop", otherWrite)).isPresent();
      clock.advance(Duration.ofMinutes(2));
      assertThat(service.openWindow(etl, "shop", otherWrite)).isEmpty();
    }
  }

  @Test
  void withoutAConfiguredWindowAnApprovalIsSingleUse() throws Exception {
    Principal etl = principal(ReferencePrincipal.ETL_NIGHTLY);
    Analysis write =
        analysis(
            "DELETE FROM app.orders WHERE id = 1",
            "DELETE",
            StatementClass.WRITE,
            Set.of(),
            Set.of("app.orders"),
            Set.of());
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail =
            JdbcAuditTrail.start(
                db, AuditFixtures.config("gw-w", AuditFixtures.randomKey(), spool));
        JdbcApprovalService service =
            JdbcApprovalService.start(
                db,
                ApprovalConfig.defaults(),
                ApprovalIT.DBA_APPROVES,
                List.of(),
                trail,
                Clock.systemUTC())) {
      ApprovalRequest r =
          service.request(
              etl,
              context("shop"),
              write.sql(),
              List.of(),
              decision(Effect.REQUIRE_APPROVAL, "etl-deletes"),
              write);
      service.approve(r.id(), principal(ReferencePrincipal.DBA));
      service.consume(r.id(), etl, "shop", write.sql(), List.of());
      assertThat(service.openWindow(etl, "shop", write)).isEmpty();
    }
  }
}
