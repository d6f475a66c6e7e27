package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One statement and the steps of approval requests, read back exactly as written. */
class TrailReaderIT {

  @TempDir Path spool;

  @Test
  void readsAStatementWithItsOutcomeAndTheApprovalSteps() throws Exception {
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    Principal etl = principal(ReferencePrincipal.ETL_NIGHTLY);
    Principal dba = principal(ReferencePrincipal.DBA);
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID statement;
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      AuditConfig config = AuditFixtures.config("gw-r", AuditFixtures.randomKey(), spool);
      try (JdbcAuditTrail trail = JdbcAuditTrail.start(db, config)) {
        StatementAudit a =
            trail.statement(
                AuditFixtures.read(analyst, "shop", "SELECT email FROM app.customers", List.of()));
        a.durable().get();
        statement = a.id();
        a.complete(
            new StatementOutcome(
                1,
                Duration.ofMillis(2),
                List.of(
                    new AppliedMask(
                        "email", "app.customers.email", "customers-email", MaskStrategy.EMAIL)),
                null,
                null,
                List.of()));
        trail.approval(step(first, ApprovalEvent.Step.REQUESTED, etl, etl, null));
        trail.approval(step(first, ApprovalEvent.Step.APPROVED, dba, etl, null));
        trail.approval(step(second, ApprovalEvent.Step.REQUESTED, etl, etl, null));
        trail.approval(step(second, ApprovalEvent.Step.DENIED, dba, etl, "not today"));
        AuditTrailIT.awaitCommitted(trail, 6);
      }
      TrailReader reader = new TrailReader(db.dataSource());

      StatementRecord r = reader.statement(statement).orElseThrow();
      assertThat(r.subject()).isEqualTo("analyst");
      assertThat(r.sql()).isEqualTo("SELECT email FROM app.customers");
      assertThat(r.outcome()).isNotNull();
      assertThat(r.outcome().maskedColumns()).containsExactly("app.customers.email");
      assertThat(reader.statement(UUID.randomUUID())).isEmpty();

      List<ApprovalEvent> steps = reader.steps(second);
      assertThat(steps)
          .extracting(ApprovalEvent::step)
          .containsExactly(ApprovalEvent.Step.REQUESTED, ApprovalEvent.Step.DENIED);
      assertThat(steps.get(1).actorSubject()).isEqualTo("dba");
      assertThat(steps.get(1).requesterSubject()).isEqualTo("etl-nightly");
      assertThat(steps.get(1).detail()).isEqualTo("not today");
      assertThat(steps.get(1).database()).isEqualTo("shop");

      List<ApprovalEvent> recent = reader.recent(3);
      assertThat(recent).hasSize(3);
      assertThat(recent.getFirst().step()).isEqualTo(ApprovalEvent.Step.DENIED);
      assertThat(recent.getFirst().approvalId()).isEqualTo(second);
    }
  }

  private static ApprovalEvent step(
      UUID id, ApprovalEvent.Step step, Principal actor, Principal requester, String detail) {
    return new ApprovalEvent(
        Instant.now(),
        id,
        step,
        actor.issuer(),
        actor.subject(),
        requester.issuer(),
        requester.subject(),
        "shop",
        detail);
  }
}
