package dev.gatehouse.mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.RefusalText;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.AnalysisLimit;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A tool result reports a refusal with the SQLSTATE of the engine's one table and the engine's one
 * tool rendering: an analysis-limit refusal is 54000/54001, an internal failure is XX000 and
 * "unavailable", never a permission denial.
 */
class RefusedResultTest {

  private static final UUID AUDIT = UUID.fromString("00000000-0000-0000-0000-00000000000a");

  private static Refused refused(Refusal refusal, String rule) {
    Decision d =
        new Decision(Effect.DENY, List.of(rule), "statement too complex: x", Obligations.NONE, "r");
    return new Refused(new Verdict(new Analysis("SELECT 1", List.of(), "fp"), d), refusal, AUDIT);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult result) {
    assertThat(result.isError()).isTrue();
    return (Map<String, Object>) ((Map<String, Object>) result.structuredContent()).get("error");
  }

  @Test
  void anAnalysisLimitRefusalCarries54001() {
    Refusal limit =
        new Refusal.Denied(
            List.of(AnalysisLimit.RULE_ID),
            "statement too complex: x",
            SqlState.STATEMENT_TOO_COMPLEX);
    Map<String, Object> error = error(ToolResults.refused(refused(limit, AnalysisLimit.RULE_ID)));
    assertThat(error)
        .containsEntry("sqlstate", "54001")
        .containsEntry("kind", "denied")
        .containsEntry("message", RefusalText.tool(limit))
        .containsEntry("rule_ids", List.of(AnalysisLimit.RULE_ID));
    Refusal large =
        new Refusal.Denied(
            List.of(AnalysisLimit.RULE_ID),
            "statement too large: y",
            SqlState.PROGRAM_LIMIT_EXCEEDED);
    assertThat(error(ToolResults.refused(refused(large, AnalysisLimit.RULE_ID))))
        .containsEntry("sqlstate", "54000");
  }

  @Test
  void anInternalFailureIsUnavailableWithXx000() {
    Refusal internal = new Refusal.Internal("evaluating the policy");
    Map<String, Object> error = error(ToolResults.refused(refused(internal, "evaluation-error")));
    assertThat(error)
        .containsEntry("sqlstate", "XX000")
        .containsEntry("kind", "unavailable")
        .containsEntry("message", "the gateway failed while evaluating the policy, so nothing ran");
  }
}
