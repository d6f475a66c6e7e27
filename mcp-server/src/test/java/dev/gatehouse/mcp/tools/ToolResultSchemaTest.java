package dev.gatehouse.mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.mcp.exec.QueryResult;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every kind of tool result validates against the tool's declared output schema, with the MCP SDK's
 * own validator (the check TypeScript SDK clients such as the MCP Inspector make).
 */
class ToolResultSchemaTest {

  private static final JsonSchemaValidator VALIDATOR = new DefaultJsonSchemaValidator();
  private static final McpSchema.Tool QUERY = QueryTool.define(1000, "app");
  private static final McpSchema.Tool DESCRIBE = DescribeTool.define("app");

  private static Decision decision(Effect effect, String rule) {
    return new Decision(effect, List.of(rule), "because of " + rule, Obligations.NONE, "rev-1");
  }

  private static Verdict verdict(Effect effect, String rule) {
    return new Verdict(new Analysis("SELECT 1", List.of(), "fp"), decision(effect, rule));
  }

  private static void assertConforms(McpSchema.Tool tool, McpSchema.CallToolResult result) {
    assertThat(result.structuredContent()).isNotNull();
    JsonSchemaValidator.ValidationResponse v =
        VALIDATOR.validate(tool.outputSchema(), result.structuredContent());
    assertThat(v.valid()).as(v.errorMessage() + "\n" + result.structuredContent()).isTrue();
  }

  private static QueryResult rows(boolean truncated) {
    return new QueryResult(
        List.of(
            new QueryResult.Column("id", "bigint", false),
            new QueryResult.Column("email", "text", true)),
        List.of(List.of("1", "a***@example.com"), Arrays.asList("2", null)),
        2,
        truncated,
        false,
        List.of(),
        Duration.ofMillis(3));
  }

  @Test
  void theDeclaredSchemasAreValidSchemas() {
    assertThat(VALIDATOR.validateSchema(QUERY.outputSchema()).valid()).isTrue();
    assertThat(VALIDATOR.validateSchema(DESCRIBE.outputSchema()).valid()).isTrue();
    assertThat(QUERY.outputSchema()).containsEntry("type", "object");
  }

  @Test
  void okAndTruncatedResultsConform() {
    UUID audit = UUID.randomUUID();
    for (boolean truncated : List.of(false, true)) {
      McpSchema.CallToolResult r =
          QueryTool.success(
              verdict(Effect.ALLOW, "analysts-read"),
              new GatedStatements.Ran(rows(truncated), audit),
              truncated ? UUID.randomUUID() : null,
              truncated ? "only the first 2 rows were returned" : null);
      assertThat(r.isError()).isFalse();
      assertConforms(QUERY, r);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aMessageOfSeveralStatementsReturnsEachResultAndConforms() {
    QueryResult update =
        new QueryResult(List.of(), List.of(), 3, false, false, List.of(), Duration.ZERO);
    QueryResult first = rows(false);
    QueryResult last =
        new QueryResult(
            List.of(new QueryResult.Column("n", "integer", false)),
            List.of(List.of("7")),
            1,
            false,
            false,
            List.of(),
            Duration.ZERO,
            List.of(first, update));
    McpSchema.CallToolResult r =
        QueryTool.success(
            verdict(Effect.ALLOW, "analysts-read"),
            new GatedStatements.Ran(last, UUID.randomUUID()),
            null,
            null);
    assertConforms(QUERY, r);
    var each =
        (List<Map<String, Object>>) ((Map<String, Object>) r.structuredContent()).get("statements");
    assertThat(each).hasSize(3);
    assertThat(each.get(0)).containsEntry("row_count", 2L);
    assertThat(each.get(1)).containsEntry("row_count", 3L).containsEntry("columns", List.of());
    assertThat(each.get(2)).containsEntry("rows", List.of(List.of("7")));
    String text = ((McpSchema.TextContent) r.content().getFirst()).text();
    assertThat(text)
        .contains("Statement 1 of 3", "Statement 2 of 3", "Statement 3 of 3", "a***@example.com")
        .contains("3 row(s) affected");
    // A single statement has no `statements`.
    McpSchema.CallToolResult one =
        QueryTool.success(
            verdict(Effect.ALLOW, "analysts-read"),
            new GatedStatements.Ran(rows(false), UUID.randomUUID()),
            null,
            null);
    assertThat((Map<String, Object>) one.structuredContent()).doesNotContainKey("statements");
  }

  @Test
  void deniedAndRefusedApprovalsConform() {
    UUID audit = UUID.randomUUID();
    UUID approval = UUID.randomUUID();
    List<Refusal> refusals =
        List.of(
            new Refusal.Denied(List.of("no-writes"), "analysts may not write"),
            new Refusal.ApprovalDenied(approval, "dana@example.com", "not during the freeze"),
            new Refusal.ApprovalExpired(approval),
            new Refusal.ApprovalNotYours(approval),
            new Refusal.ApprovalTimedOut(approval, Duration.ofSeconds(30)),
            new Refusal.Cancelled(approval),
            new Refusal.AuditUnavailable(),
            new Refusal.Internal("creating the approval request"));
    for (Refusal refusal : refusals) {
      McpSchema.CallToolResult r =
          ToolResults.refused(new Refused(verdict(Effect.DENY, "no-writes"), refusal, audit));
      assertThat(r.isError()).isTrue();
      assertConforms(QUERY, r);
      assertConforms(DESCRIBE, r);
    }
  }

  @Test
  void pendingApprovalConforms() {
    McpSchema.CallToolResult r =
        ApprovalFlow.pending(
            UUID.randomUUID(), decision(Effect.REQUIRE_APPROVAL, "writes-need-approval"), null);
    assertConforms(QUERY, r);
    r =
        ApprovalFlow.pending(
            UUID.randomUUID(),
            decision(Effect.REQUIRE_APPROVAL, "writes-need-approval"),
            Instant.now());
    assertThat(r.isError()).isTrue();
    assertConforms(QUERY, r);
  }

  @Test
  void sqlErrorsArgumentErrorsAndInternalErrorsConform() {
    Decision allow = decision(Effect.ALLOW, "analysts-read");
    assertConforms(
        QUERY,
        QueryTool.failed(
            allow, new GatedStatements.Failed("42703", "column does not exist", false, null)));
    assertConforms(
        QUERY,
        QueryTool.failed(
            allow,
            new GatedStatements.Failed("08006", "audit unavailable", true, UUID.randomUUID())));
    McpSchema.CallToolResult invalid = ToolResults.invalidArguments("`sql` must be a string");
    assertThat(invalid.isError()).isTrue();
    assertConforms(QUERY, invalid);
    assertConforms(DESCRIBE, invalid);
    assertConforms(QUERY, ToolResults.internalError());
  }

  @Test
  void approvalStatusResultsConform() {
    McpSchema.Tool status = ApprovalStatusTool.define();
    assertThat(VALIDATOR.validateSchema(status.outputSchema()).valid()).isTrue();
    var pending =
        new dev.gatehouse.engine.admission.ApprovalStatus(
            UUID.randomUUID(), "pending", "DELETE FROM t", Instant.now(), null, null, null);
    var denied =
        new dev.gatehouse.engine.admission.ApprovalStatus(
            UUID.randomUUID(), "denied", "DELETE FROM t", null, "dba", Instant.now(), "no");
    for (var s : List.of(pending, denied)) {
      McpSchema.CallToolResult r = ToolResults.success(ApprovalStatusTool.structured(s), "x");
      assertConforms(status, r);
    }
    assertConforms(status, ToolResults.invalidArguments("`approval_id` must be an approval id"));
  }

  @Test
  void aResultOfNeitherShapeIsRejected() {
    // The check can fail: a success missing its rows, and an unknown property, do not conform.
    var noRows = Map.<String, Object>of("columns", List.of(), "row_count", 0);
    assertThat(VALIDATOR.validate(QUERY.outputSchema(), noRows).valid()).isFalse();
    var stray = Map.<String, Object>of("error", Map.of("kind", "denied", "message", "x"), "x", 1);
    assertThat(VALIDATOR.validate(QUERY.outputSchema(), stray).valid()).isFalse();
  }
}
