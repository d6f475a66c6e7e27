package dev.gatehouse.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Reason;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.AnalysisLimit;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A refusal is data (its reasons, its SQLSTATE from the one table) and each audience reads one
 * rendering of it: the SQL client's error, the MCP tool result, the audit record.
 */
class RefusalAudiencesTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static Verdict denied(String sql, String rule, String explanation, Reason reason) {
    Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
    return new Verdict(
        analysis,
        new Decision(
            Effect.DENY, List.of(rule), explanation, Obligations.NONE, "rev", List.of(reason)));
  }

  @Test
  void aPolicyDenialKeepsItsReasonsAndReadsOncePerAudience() {
    Reason reason = Reason.missing("default-deny", 0, "it writes `app.orders`, not granted");
    Refusal r =
        AdmissionDesk.refusal(
            denied(
                "DELETE FROM app.orders",
                "default-deny",
                "denied by `default-deny`: it writes `app.orders`, not granted; nothing was run",
                reason));
    assertThat(r).isInstanceOf(Refusal.Denied.class);
    assertThat(((Refusal.Denied) r).reasons()).containsExactly(reason);
    assertThat(r.sqlState().code()).isEqualTo("42501");
    assertThat(RefusalText.client(r))
        .isEqualTo(
            "permission denied by gatehouse policy (rule `default-deny`): it writes `app.orders`,"
                + " not granted; nothing was run");
    assertThat(RefusalText.tool(r))
        .isEqualTo(
            "denied by `default-deny`: it writes `app.orders`, not granted; nothing was run");
    assertThat(RefusalText.audit(r)).isEqualTo(RefusalText.client(r));
  }

  @Test
  void aMessagePastTheNestingLimitIs54001AndNotAPermissionDenial() {
    Analysis deep =
        analyzer.analyze(
            "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000), AnalysisContext.DEFAULT);
    String explanation = deep.exceeded().explanation();
    Refusal r =
        AdmissionDesk.refusal(
            new Verdict(
                deep,
                new Decision(
                    Effect.DENY,
                    List.of(AnalysisLimit.RULE_ID),
                    explanation,
                    Obligations.NONE,
                    null)));
    assertThat(r.sqlState()).isEqualTo(SqlState.STATEMENT_TOO_COMPLEX);
    assertThat(RefusalText.client(r))
        .isEqualTo(explanation + " (gatehouse rule `analysis-limit`)")
        .startsWith("statement too complex: ")
        .doesNotContain("permission denied");
    assertThat(RefusalText.tool(r)).isEqualTo("denied: " + explanation);
  }

  @Test
  void aPolicyThatCouldNotBeEvaluatedIsAnInternalFailureNot42501() {
    Refusal r =
        AdmissionDesk.refusal(
            denied(
                "SELECT 1",
                RulePolicyEvaluator.EVALUATION_ERROR,
                "denied: the policy could not be evaluated for this statement; nothing was run",
                Reason.rule(RulePolicyEvaluator.EVALUATION_ERROR)));
    assertThat(r).isEqualTo(new Refusal.Internal("evaluating the policy"));
    assertThat(r.sqlState().code()).isEqualTo("XX000");
    assertThat(RefusalText.client(r))
        .isEqualTo("the gateway failed while evaluating the policy, so nothing ran");
    assertThat(RefusalText.tool(r)).isEqualTo(RefusalText.client(r));
  }

  @Test
  void approvalRefusalsReadPerAudience() {
    java.util.UUID id = java.util.UUID.fromString("00000000-0000-0000-0000-000000000001");
    Refusal expired = new Refusal.ApprovalExpired(id);
    assertThat(expired.sqlState().code()).isEqualTo("42501");
    assertThat(RefusalText.client(expired))
        .isEqualTo(
            "approval `" + id + "` expired before anyone decided; the statement did not run");
    assertThat(RefusalText.tool(expired))
        .isEqualTo(
            RefusalText.client(expired)
                + "; call `query` without `approval_id` to request a new approval");
    Refusal cancelled = new Refusal.Cancelled(id);
    assertThat(cancelled.sqlState().code()).isEqualTo("57014");
    assertThat(RefusalText.client(cancelled))
        .isEqualTo("canceling statement due to user request: approval `" + id + "`");
  }
}
