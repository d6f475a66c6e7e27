package dev.gatehouse.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A decision says as data which rule decided, for which statement, what matched and what was
 * missing, under the reference policy; the explanation says the same in prose.
 */
class DecisionReasonsTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
  private static final RulePolicyEvaluator evaluator =
      new RulePolicyEvaluator(ReferencePolicy.load());

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static Decision decide(ReferencePrincipal who, String sql) {
    return evaluator.evaluate(
        ReferencePolicy.principal(who),
        analyzer.analyze(sql, AnalysisContext.DEFAULT),
        new RequestContext(Channel.WIRE, "shop", null, null, Instant.now()));
  }

  @Test
  void aDenyRuleSaysWhatMatchedInWhichStatement() {
    Decision d = decide(ReferencePrincipal.ETL_NIGHTLY, "SELECT 1; UPDATE app.customers SET x = 1");
    assertThat(d.effect()).isEqualTo(Effect.DENY);
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ruleId()).isEqualTo("etl-nightly-never-writes-customers");
              assertThat(r.statement()).isEqualTo(1);
              assertThat(r.matched()).contains("app.customers");
              assertThat(r.missing()).isNull();
            });
    assertThat(d.ruleIds()).containsExactly("etl-nightly-never-writes-customers");
  }

  @Test
  void aDefaultDenialSaysWhatTheGrantWasMissing() {
    Decision d = decide(ReferencePrincipal.ANALYST, "SELECT * FROM app.orders; DELETE FROM app.x");
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ruleId()).isEqualTo(RulePolicyEvaluator.DEFAULT_DENY);
              assertThat(r.statement()).isEqualTo(1);
              assertThat(r.matched()).isNull();
              assertThat(r.missing()).isNotBlank();
              assertThat(d.explanation()).contains(r.missing());
            });
  }

  @Test
  void aPrincipalNoRuleGrantsAnythingIsMissingARule() {
    Decision d = decide(ReferencePrincipal.CONTRACTOR, "SELECT 1");
    assertThat(d.reasons())
        .containsExactly(
            Reason.missing(
                RulePolicyEvaluator.DEFAULT_DENY, -1, "a rule that grants `contractor` anything"));
    assertThat(d.reasons().getFirst().line())
        .isEqualTo("rule `default-deny`: missing a rule that grants `contractor` anything");
  }

  @Test
  void anApprovalRuleSaysWhatMatched() {
    Decision d = decide(ReferencePrincipal.ETL_NIGHTLY, "DELETE FROM app.orders");
    assertThat(d.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ruleId()).isEqualTo("etl-nightly-destructive-needs-approval");
              assertThat(r.statement()).isZero();
              assertThat(r.matched()).isNotBlank();
              assertThat(r.line())
                  .startsWith(
                      "rule `etl-nightly-destructive-needs-approval`, statement 1: matched ");
            });
  }

  @Test
  void anAllowSaysWhichGrantMatched() {
    Decision d = decide(ReferencePrincipal.ANALYST, "SELECT id FROM app.orders");
    assertThat(d.effect()).isEqualTo(Effect.ALLOW);
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ruleId()).isEqualTo(d.ruleIds().getFirst());
              assertThat(r.matched()).isNotBlank();
            });
  }

  @Test
  void aDecisionBuiltWithoutReasonsStillNamesItsRules() {
    Decision d = new Decision(Effect.DENY, java.util.List.of("a", "b"), "x", Obligations.NONE, "r");
    assertThat(d.reasons()).containsExactly(Reason.rule("a"), Reason.rule("b"));
  }
}
