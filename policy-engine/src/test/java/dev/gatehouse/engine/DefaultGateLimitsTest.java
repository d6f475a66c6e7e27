package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.ReferencePolicy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.AnalysisLimit;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.SqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The gate refuses past the analyser's bounds, and refuses the ungranted without parsing. */
class DefaultGateLimitsTest {

  private static final PostgresSqlAnalyzer real = new PostgresSqlAnalyzer();
  private static final String DEEP = "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000);

  private final AtomicInteger analysed = new AtomicInteger();
  private final SqlAnalyzer counting =
      new SqlAnalyzer() {
        @Override
        public Analysis analyze(String sql, AnalysisContext context) {
          return analyze(sql, context, null);
        }

        @Override
        public Analysis analyze(String sql, AnalysisContext context, String owner) {
          analysed.incrementAndGet();
          return real.analyze(sql, context, owner);
        }

        @Override
        public Analysis outline(String sql) {
          return real.outline(sql);
        }
      };

  private final DefaultGate gate =
      new DefaultGate(
          token -> {
            throw new UnsupportedOperationException();
          },
          counting,
          new RulePolicyEvaluator(ReferencePolicy.load()),
          (policy, a, columns, db) -> MaskPlan.NONE,
          unused(AuditTrail.class),
          unused(ApprovalService.class),
          (db, role) -> new UpstreamTarget("127.0.0.1", 5432, db, role, "pw"),
          Clock.systemUTC());

  @AfterAll
  static void close() {
    real.close();
  }

  private static <T> T unused(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            }));
  }

  private Verdict decide(ReferencePrincipal who, String sql) {
    return gate.decide(
        ReferencePolicy.principal(who),
        new RequestContext(Channel.WIRE, "shop", "psql", "127.0.0.1", Instant.now()),
        AnalysisContext.DEFAULT,
        sql);
  }

  @Test
  void aPrincipalGrantedNothingIsRefusedWithoutAnalysis() {
    Verdict v = decide(ReferencePrincipal.CONTRACTOR, DEEP + "; DROP TABLE app.customers");
    assertThat(v.decision().effect()).isEqualTo(Effect.DENY);
    assertThat(v.decision().ruleIds()).containsExactly(RulePolicyEvaluator.DEFAULT_DENY);
    assertThat(analysed).hasValue(0);
    // The record still says what was sent, split as the lexer splits it.
    Verdict plain = decide(ReferencePrincipal.CONTRACTOR, "SELECT 1; DROP TABLE app.customers");
    assertThat(plain.analysis().statements()).hasSize(2);
    assertThat(plain.analysis().statements().get(1).commandTag()).isEqualTo("DROP");
    assertThat(analysed).hasValue(0);
  }

  @Test
  void aGrantedPrincipalPastTheNestingBoundIsRefusedNamingTheBound() {
    long start = System.nanoTime();
    Verdict v = decide(ReferencePrincipal.ANALYST, DEEP);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(v.decision().effect()).isEqualTo(Effect.DENY);
    assertThat(v.decision().ruleIds()).containsExactly(AnalysisLimit.RULE_ID);
    assertThat(v.decision().explanation())
        .startsWith("statement too complex")
        .contains("`analysis.max-depth`");
    assertThat(v.analysis().exceeded().kind().sqlState()).isEqualTo("54001");
    assertThat(millis).isLessThan(500);
  }

  @Test
  void aGrantedPrincipalWithinTheBoundsIsDecidedByThePolicy() {
    Verdict v = decide(ReferencePrincipal.ANALYST, "SELECT id FROM app.orders");
    assertThat(v.decision().effect()).isEqualTo(Effect.ALLOW);
    assertThat(analysed).hasValue(1);
  }
}
