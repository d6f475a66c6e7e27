package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskPlanner;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.masking.MaskedDataUse;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.masking.catalog.CatalogException;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.PolicyEvaluator;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checks DefaultGate adds across the engine's parts; the parts themselves have their own tests.
 */
class DefaultGateTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final RequestContext CTX =
      new RequestContext(Channel.WIRE, "shop", "psql", "127.0.0.1", NOW);

  private final MemoryAuditTrail audit = new MemoryAuditTrail();

  private static Principal principal(Instant expiry) {
    return new Principal(
        "https://issuer",
        "analyst",
        Principal.Kind.PERSON,
        Set.of("analysts"),
        null,
        Map.of(),
        expiry);
  }

  private static Analysis analysis() {
    var out = List.of(new OutputColumn("c", Set.of(), false));
    var st =
        new StatementInfo(
            "SELECT f()",
            "SELECT",
            StatementClass.READ,
            Set.of(),
            Set.of(),
            Set.of("f"),
            Map.of(),
            Set.of(),
            out);
    return new Analysis("SELECT f()", List.of(st), "select f()");
  }

  private static Decision allow(MaskingPolicy masking) {
    return new Decision(
        Effect.ALLOW,
        List.of("analysts-read"),
        "allowed",
        new Obligations("reader", true, 0, null, masking),
        "rev1");
  }

  private DefaultGate gate(PolicyEvaluator evaluator) {
    return gate(evaluator, (policy, a, columns, db) -> MaskPlan.NONE);
  }

  private DefaultGate gate(PolicyEvaluator evaluator, MaskPlanner planner) {
    return new DefaultGate(
        token -> {
          if (token.equals("good")) {
            return principal(NOW.plusSeconds(60));
          }
          throw new AuthenticationException(
              AuthenticationException.Reason.EXPIRED, "token expired");
        },
        (sql, c) -> analysis(),
        evaluator,
        planner,
        audit,
        new NoApprovals(),
        (db, role) -> new UpstreamTarget("127.0.0.1", 5432, db, role, "pw"),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void authenticationIsRecordedEitherWay() throws Exception {
    DefaultGate gate = gate((p, a, c) -> allow(MaskingPolicy.NONE));
    assertThat(gate.authenticate("good", CTX).subject()).isEqualTo("analyst");
    assertThatThrownBy(() -> gate.authenticate("bad", CTX))
        .isInstanceOf(AuthenticationException.class);
    assertThat(audit.authentications).hasSize(2);
    assertThat(audit.authentications.get(0).succeeded()).isTrue();
    assertThat(audit.authentications.get(1).succeeded()).isFalse();
    assertThat(audit.authentications.get(1).failureReason())
        .contains("EXPIRED")
        .doesNotContain("bad");
  }

  @Test
  void anEvaluationErrorDenies() {
    DefaultGate gate =
        gate(
            (p, a, c) -> {
              throw new IllegalStateException("boom");
            });
    Verdict v = gate.decide(principal(NOW.plusSeconds(60)), CTX, AnalysisContext.DEFAULT, "x");
    assertThat(v.decision().effect()).isEqualTo(Effect.DENY);
    assertThat(v.decision().ruleIds()).containsExactly(DefaultGate.EVALUATION_ERROR);
  }

  @Test
  void noMaskingMeansRowsPassThrough() {
    DefaultGate gate = gate((p, a, c) -> allow(MaskingPolicy.NONE));
    Verdict v = gate.decide(principal(NOW.plusSeconds(60)), CTX, AnalysisContext.DEFAULT, "x");
    assertThat(gate.maskPlan(v, List.of(), "shop").passesThrough()).isTrue();
  }

  private static final MaskingPolicy SSN =
      new MaskingPolicy(
          List.of(new MaskRule("ssn", "app.customers.ssn", MaskStrategy.REDACT, 0)),
          Set.of(),
          false);

  /** An analysis whose WHERE uses a view's column {@code x}; the catalog knows it is the SSN. */
  private static Analysis filteredOnViewColumn(ColumnRef... sources) {
    var st =
        new StatementInfo(
            "SELECT k FROM app.v WHERE x > '5'",
            "SELECT",
            StatementClass.READ,
            Set.of(),
            Set.of(),
            Set.of(),
            Map.of(),
            Set.of(),
            List.of(new OutputColumn("k", Set.of(), false)),
            List.of(new ColumnUse("WHERE", "x > '?'", Set.of(sources), false, null)));
    return new Analysis(st.sql(), List.of(st), st.sql());
  }

  private static final ColumnRef VIEW_X = new ColumnRef(TableRef.of("app.v"), "x");

  private DefaultGate gateOver(Analysis analysis, MaskPlanner planner) {
    return new DefaultGate(
        token -> principal(NOW.plusSeconds(60)),
        (sql, c) -> analysis,
        (p, a, c) -> allow(SSN),
        planner,
        audit,
        new NoApprovals(),
        (db, role) -> new UpstreamTarget("127.0.0.1", 5432, db, role, "pw"),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static MaskPlanner catalog(java.util.function.UnaryOperator<Analysis> resolve) {
    return new MaskPlanner() {
      @Override
      public MaskPlan plan(MaskingPolicy p, Analysis a, List<ResultColumn> c, String db) {
        return MaskPlan.NONE;
      }

      @Override
      public Analysis throughCatalog(Analysis analysis, String database) {
        return resolve.apply(analysis);
      }
    };
  }

  @Test
  void aViewColumnTheCatalogResolvesToAMaskedColumnIsAMaskedUse() {
    Analysis resolved =
        filteredOnViewColumn(VIEW_X, new ColumnRef(TableRef.of("app.customers"), "ssn"));
    Verdict v =
        gateOver(filteredOnViewColumn(VIEW_X), catalog(a -> resolved))
            .decide(principal(NOW.plusSeconds(60)), CTX, AnalysisContext.DEFAULT, "x");
    assertThat(v.decision().effect()).isEqualTo(Effect.DENY);
    assertThat(v.decision().ruleIds()).containsExactly(MaskedDataUse.INFERENCE);
    assertThat(v.decision().explanation()).contains("app.customers.ssn");
  }

  @Test
  void aViewColumnOfNoMaskedColumnStaysAllowedAndTheVerdictCarriesTheResolution() {
    Analysis resolved =
        filteredOnViewColumn(VIEW_X, new ColumnRef(TableRef.of("app.customers"), "id"));
    Verdict v =
        gateOver(filteredOnViewColumn(VIEW_X), catalog(a -> resolved))
            .decide(principal(NOW.plusSeconds(60)), CTX, AnalysisContext.DEFAULT, "x");
    assertThat(v.decision().effect()).isEqualTo(Effect.ALLOW);
    assertThat(v.analysis()).isSameAs(resolved);
  }

  @Test
  void anUnreadableCatalogRefusesUsesButNotASelectList() {
    MaskPlanner down =
        catalog(
            a -> {
              throw new CatalogException("catalog down", null);
            });
    Verdict withUse =
        gateOver(filteredOnViewColumn(VIEW_X), down)
            .decide(principal(NOW.plusSeconds(60)), CTX, AnalysisContext.DEFAULT, "x");
    assertThat(withUse.decision().effect()).isEqualTo(Effect.DENY);
    assertThat(withUse.decision().explanation()).contains("catalog could not be read");
    Verdict selectOnly =
        gateOver(analysis(), down)
            .decide(principal(NOW.plusSeconds(60)), CTX, AnalysisContext.DEFAULT, "x");
    assertThat(selectOnly.decision().effect()).isEqualTo(Effect.ALLOW);
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
