package dev.gatehouse.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.StatementEvent;
import dev.gatehouse.engine.audit.StatementOutcome;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Admission's own rules: what is recorded, and when a statement may run (ADR 0004, ADR 0009). */
class AdmissionDeskTest {

  private static final RequestContext CTX =
      new RequestContext(Channel.WIRE, "shop", "psql", "127.0.0.1", Instant.now());
  private static final Principal ANALYST =
      new Principal(
          "https://issuer",
          "analyst",
          Principal.Kind.PERSON,
          Set.of("analysts"),
          null,
          Map.of(),
          Instant.now().plusSeconds(600));

  private final MemoryAuditTrail trail = new MemoryAuditTrail();

  private List<StatementEvent> statements() {
    return trail.statements.stream().map(MemoryAuditTrail.Entry::event).toList();
  }

  private List<StatementOutcome> outcomes() {
    return trail.statements.stream()
        .filter(e -> e.outcome().isDone())
        .map(e -> e.outcome().join())
        .toList();
  }

  private static StatementInfo statement(
      String tag, StatementClass c, Set<String> functions, boolean writes) {
    return new StatementInfo(
        tag + " ...",
        tag,
        c,
        Set.of(),
        writes ? Set.of(dev.gatehouse.engine.sql.model.TableRef.of("app.orders")) : Set.of(),
        functions,
        Map.of(),
        Set.of(),
        List.of());
  }

  private AdmissionDesk desk(Effect effect, StatementInfo info) {
    Decision decision =
        new Decision(
            effect,
            List.of(effect == Effect.DENY ? "default-deny" : "analysts-read"),
            effect == Effect.DENY
                ? "denied by `default-deny`: no rule grants this; nothing was run"
                : "allowed",
            effect == Effect.DENY
                ? Obligations.NONE
                : new Obligations("reader", true, 0, null, MaskingPolicy.NONE),
            "rev1");
    Verdict verdict = new Verdict(new Analysis(info.sql(), List.of(info), info.sql()), decision);
    return new AdmissionDesk(
        (p, c, s, m) -> verdict,
        trail,
        new NoApprovals(),
        (policy, a, columns, db) -> MaskPlan.NONE,
        Runnable::run,
        AdmissionObserver.NONE);
  }

  private static StatementRequest request(String sql) {
    return new StatementRequest(ANALYST, CTX, "c1", null, sql, null, null);
  }

  @Test
  void aDenialIsRecordedOnceWith42501AndReadsAsOneSentence() {
    Admission a =
        desk(Effect.DENY, statement("DELETE", StatementClass.WRITE, Set.of(), true))
            .admit(request("DELETE FROM app.orders"));
    assertThat(a).isInstanceOf(Refused.class);
    Refused refused = (Refused) a;
    assertThat(refused.sqlState()).isEqualTo(SqlState.INSUFFICIENT_PRIVILEGE);
    assertThat(statements()).hasSize(1);
    assertThat(outcomes())
        .singleElement()
        .satisfies(o -> assertThat(o.sqlState()).isEqualTo("42501"));
    assertThat(refused.auditId()).isNotNull();
    assertThat(refused.clientMessage())
        .isEqualTo(
            "permission denied by gatehouse policy (rule `default-deny`): no rule grants this;"
                + " nothing was run");
    assertThat(refused.toolMessage())
        .isEqualTo("denied by `default-deny`: no rule grants this; nothing was run");
  }

  @Test
  void anAllowedStatementIsRecordedOnlyWhenItStarts() {
    Admission a =
        desk(Effect.ALLOW, statement("SELECT", StatementClass.READ, Set.of("lower"), false))
            .admit(request("SELECT lower(name) FROM app.customers"));
    assertThat(statements()).isEmpty();
    Run run = ((Admitted) a).start(List.of("1"));
    assertThat(statements())
        .singleElement()
        .satisfies(e -> assertThat(e.params()).containsExactly("1"));
    assertThat(run.timing())
        .as("a plain read runs while its record commits")
        .isEqualTo(Run.Timing.RUN_NOW);
    run.complete(Completion.ran(3, Duration.ofMillis(2), List.of()));
    assertThat(outcomes()).singleElement().satisfies(o -> assertThat(o.rows()).isEqualTo(3));
  }

  @Test
  void aWriteWaitsForItsRecord() {
    Admitted a =
        (Admitted)
            desk(Effect.ALLOW, statement("UPDATE", StatementClass.WRITE, Set.of(), true))
                .admit(request("UPDATE app.orders SET x = 1 WHERE id = 1"));
    assertThat(a.plainRead()).isFalse();
    assertThat(a.start(null).timing()).isEqualTo(Run.Timing.AFTER_RECORD);
  }

  @Test
  void aReadThatCallsAVolatileFunctionWaitsForItsRecord() {
    Admitted a =
        (Admitted)
            desk(Effect.ALLOW, statement("SELECT", StatementClass.READ, Set.of("nextval"), false))
                .admit(request("SELECT nextval('s')"));
    assertThat(a.start(null).timing()).isEqualTo(Run.Timing.AFTER_RECORD);
  }

  @Test
  void aPlainReadWhoseRecordAlreadyFailedWaitsAndSoIsRefused() {
    trail.unavailable(true);
    Admitted a =
        (Admitted)
            desk(Effect.ALLOW, statement("SELECT", StatementClass.READ, Set.of(), false))
                .admit(request("SELECT 1"));
    assertThat(a.start(null).timing()).isEqualTo(Run.Timing.AFTER_RECORD);
  }

  @Test
  void aFailureWhileDecidingIsAnInternalErrorNeverAPermissionDenial() {
    AdmissionDesk desk =
        new AdmissionDesk(
            (p, c, s, m) -> {
              throw new IllegalStateException("analyser broke");
            },
            trail,
            new NoApprovals(),
            (policy, a, columns, db) -> MaskPlan.NONE,
            Runnable::run,
            AdmissionObserver.NONE);
    Refused refused = (Refused) desk.admit(request("SELECT 1"));
    assertThat(refused.sqlState()).isEqualTo(SqlState.INTERNAL_ERROR);
    assertThat(refused.clientMessage())
        .isEqualTo("the gateway failed while deciding on the statement, so nothing ran")
        .doesNotContain("analyser broke");
  }

  @Test
  void aCatalogReadIsRecordedAsWhatItDisclosed() {
    AdmissionDesk desk =
        desk(Effect.ALLOW, statement("SELECT", StatementClass.READ, Set.of(), false));
    desk.catalogRead(
        ANALYST,
        CTX,
        "s1",
        new Decision(
            Effect.ALLOW,
            List.of("analysts-read"),
            "allowed",
            new Obligations("reader", true, 0, null, MaskingPolicy.NONE),
            "rev1"),
        List.of(
            dev.gatehouse.engine.sql.model.TableRef.of("app.customers"),
            dev.gatehouse.engine.sql.model.TableRef.of("app.orders")));
    assertThat(statements())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.sql()).isEqualTo("describe (catalog read): app.customers, app.orders");
              assertThat(e.analysis().statements().getFirst().commandTag()).isEqualTo("DESCRIBE");
              assertThat(e.decision().ruleIds()).containsExactly("analysts-read");
            });
    assertThat(outcomes()).singleElement().satisfies(o -> assertThat(o.rows()).isEqualTo(2));
  }

  /** Approvals play no part in these checks. */
  private static final class NoApprovals implements dev.gatehouse.engine.approval.ApprovalService {
    @Override
    public dev.gatehouse.engine.approval.ApprovalRequest request(
        Principal r, RequestContext c, String s, List<String> p, Decision d) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.concurrent.CompletableFuture<dev.gatehouse.engine.approval.ApprovalRequest>
        awaitDecision(java.util.UUID id, java.time.Duration t) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.gatehouse.engine.approval.ApprovalRequest approve(java.util.UUID id, Principal a) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.gatehouse.engine.approval.ApprovalRequest deny(
        java.util.UUID id, Principal a, String r) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.gatehouse.engine.approval.ApprovalRequest cancel(java.util.UUID id, String why) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.gatehouse.engine.approval.ApprovalRequest consume(
        java.util.UUID id, Principal r, String d, String s, List<String> p) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Optional<dev.gatehouse.engine.approval.ApprovalRequest> find(
        java.util.UUID id) {
      return java.util.Optional.empty();
    }

    @Override
    public List<dev.gatehouse.engine.approval.ApprovalRequest> pending() {
      return List.of();
    }
  }
}
