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

  /** A plan that counts how often it was made again. */
  private static final class Fresh implements MaskPlan {
    final boolean reusable;

    Fresh(boolean reusable) {
      this.reusable = reusable;
    }

    @Override
    public boolean passesThrough() {
      return false;
    }

    @Override
    public boolean inspects(int column) {
      return true;
    }

    @Override
    public byte[] apply(int column, byte[] value) {
      return value;
    }

    @Override
    public List<dev.gatehouse.engine.masking.AppliedMask> applied() {
      return List.of();
    }

    @Override
    public MaskPlan again() {
      return reusable ? new Fresh(true) : null;
    }
  }

  /** A planner that counts its plans, with the catalog snapshot and plans' reuse as given. */
  private static dev.gatehouse.engine.masking.MaskPlanner countingPlanner(
      java.util.concurrent.atomic.AtomicInteger planned,
      java.util.function.Supplier<Object> snapshot,
      java.util.function.BooleanSupplier reusable) {
    return new dev.gatehouse.engine.masking.MaskPlanner() {
      @Override
      public Object catalogGeneration(String database) {
        return snapshot.get();
      }

      @Override
      public MaskPlan plan(
          MaskingPolicy policy,
          Analysis analysis,
          List<dev.gatehouse.engine.masking.ResultColumn> columns,
          String database) {
        planned.incrementAndGet();
        return new Fresh(reusable.getAsBoolean());
      }
    };
  }

  @Test
  void aStatementsMaskPlanIsMadeOnceWhileTheCatalogSnapshotStaysTheSame() {
    java.util.concurrent.atomic.AtomicInteger planned =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<Object> snapshot =
        new java.util.concurrent.atomic.AtomicReference<>(new Object());
    java.util.concurrent.atomic.AtomicBoolean reusable =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    dev.gatehouse.engine.masking.MaskPlanner planner =
        countingPlanner(planned, snapshot::get, reusable::get);
    StatementInfo info = statement("SELECT", StatementClass.READ, Set.of(), false);
    Decision decision =
        new Decision(
            Effect.ALLOW,
            List.of("analysts-read"),
            "allowed",
            new Obligations(
                "reader",
                true,
                0,
                null,
                new MaskingPolicy(
                    List.of(),
                    Set.of(dev.gatehouse.engine.masking.detect.DetectorType.EMAIL),
                    false)),
            "rev1");
    Verdict verdict = new Verdict(new Analysis(info.sql(), List.of(info), info.sql()), decision);
    AdmissionDesk desk =
        new AdmissionDesk(
            (p, c, s, m) -> verdict,
            trail,
            new NoApprovals(),
            planner,
            Runnable::run,
            AdmissionObserver.NONE);
    Admitted admitted = (Admitted) desk.admit(request("SELECT email FROM app.customers"));
    List<dev.gatehouse.engine.masking.ResultColumn> columns =
        List.of(new dev.gatehouse.engine.masking.ResultColumn("email", 16_384, 3, 25, -1, -1, 0));

    MaskPlan first = admitted.maskPlan(columns);
    MaskPlan second = admitted.maskPlan(columns);
    assertThat(planned).as("the second run's plan is the first made again").hasValue(1);
    assertThat(second).isInstanceOf(Fresh.class).isNotSameAs(first);

    admitted.maskPlan(
        List.of(new dev.gatehouse.engine.masking.ResultColumn("email", 16_384, 3, 25, -1, -1, 1)));
    assertThat(planned).as("other columns (a binary format) are planned").hasValue(2);

    admitted.maskPlan(columns, 0);
    assertThat(planned).as("another statement of the message is planned").hasValue(3);
    admitted.maskPlan(columns, 0);
    assertThat(planned).hasValue(3);

    snapshot.set(new Object()); // the catalog read again (a view redefined, a column added)
    admitted.maskPlan(columns, 0);
    assertThat(planned).as("a new catalog snapshot is planned against").hasValue(4);

    snapshot.set(null); // the snapshot expired: nothing is known, nothing is kept
    admitted.maskPlan(columns, 0);
    admitted.maskPlan(columns, 0);
    assertThat(planned).hasValue(6);

    snapshot.set(new Object());
    reusable.set(false); // a plan made without the catalog
    admitted.maskPlan(columns, 0);
    admitted.maskPlan(columns, 0);
    assertThat(planned).as("a plan that cannot be made again is planned each time").hasValue(8);
  }

  @Test
  void aKeptMaskPlanServesOnlyTheSameMaskingPolicyAndLineage() {
    java.util.concurrent.atomic.AtomicInteger planned =
        new java.util.concurrent.atomic.AtomicInteger();
    Object snapshot = new Object();
    dev.gatehouse.engine.masking.MaskPlanner planner =
        countingPlanner(planned, () -> snapshot, () -> true);
    java.util.function.Function<MaskingPolicy, Verdict> verdictUnder =
        masking -> {
          StatementInfo info = statement("SELECT", StatementClass.READ, Set.of(), false);
          return new Verdict(
              new Analysis(info.sql(), List.of(info), info.sql()),
              new Decision(
                  Effect.ALLOW,
                  List.of("r"),
                  "allowed",
                  new Obligations("reader", true, 0, null, masking),
                  "rev1"));
        };
    MaskingPolicy analysts =
        new MaskingPolicy(
            List.of(), Set.of(dev.gatehouse.engine.masking.detect.DetectorType.EMAIL), false);
    MaskingPolicy etl =
        new MaskingPolicy(
            List.of(), Set.of(dev.gatehouse.engine.masking.detect.DetectorType.EMAIL), false);
    Verdict first = verdictUnder.apply(analysts);
    AdmissionDesk desk =
        new AdmissionDesk(
            (p, c, s, m) -> first,
            trail,
            new NoApprovals(),
            planner,
            Runnable::run,
            AdmissionObserver.NONE);
    List<dev.gatehouse.engine.masking.ResultColumn> columns =
        List.of(new dev.gatehouse.engine.masking.ResultColumn("email", 16_384, 3, 25, -1, -1, 0));

    desk.maskPlan(first, columns, "shop");
    desk.maskPlan(first, columns, "shop");
    assertThat(planned).hasValue(1);
    desk.maskPlan(verdictUnder.apply(etl), columns, "shop");
    assertThat(planned).as("another masking policy, equal but not the same object").hasValue(2);
    desk.maskPlan(first, columns, "crm");
    assertThat(planned).as("another database").hasValue(3);
    StatementInfo other = statement("SELECT", StatementClass.READ, Set.of(), false);
    Verdict sameTextOtherLineage =
        new Verdict(
            new Analysis(
                other.sql(),
                List.of(
                    new StatementInfo(
                        other.sql(),
                        other.commandTag(),
                        other.statementClass(),
                        other.tablesRead(),
                        other.tablesWritten(),
                        other.functions(),
                        other.settings(),
                        other.riskFlags(),
                        List.of(
                            new dev.gatehouse.engine.sql.model.OutputColumn(
                                "email",
                                Set.of(
                                    new dev.gatehouse.engine.sql.model.ColumnRef(
                                        dev.gatehouse.engine.sql.model.TableRef.of("app.customers"),
                                        "email")),
                                false)))),
                other.sql()),
            first.decision());
    desk.maskPlan(sameTextOtherLineage, columns, "shop");
    assertThat(planned).as("the same decision, other output columns").hasValue(4);
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
    public java.util.Optional<dev.gatehouse.engine.policy.Channel> requestedOn(java.util.UUID id) {
      throw new UnsupportedOperationException();
    }

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
