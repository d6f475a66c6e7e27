package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.mcp.exec.QueryResult;
import dev.gatehouse.mcp.tools.ToolResults.ErrorKind;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code query}: runs one SQL message through the gate and returns its masked result. */
public final class QueryTool implements GovernedTool {

  static final String PROBE = "SELECT 1";

  private final GatedStatements gated;
  private final ApprovalFlow approvals;
  private final McpSchema.Tool definition;

  public QueryTool(GatedStatements gated) {
    this.gated = gated;
    this.approvals = new ApprovalFlow(gated);
    this.definition = define(gated.config().maxRows(), gated.config().database());
  }

  private static McpSchema.Tool define(int maxRows, String database) {
    var input =
        Schemas.object(
            Schemas.props(
                "sql",
                    Schemas.string(
                        "one PostgreSQL statement (or several separated by `;`, judged as a whole)"),
                "params",
                    Map.of(
                        "type", "array",
                        "description", "values for $1, $2, ... in `sql`, in order",
                        "items", Map.of("type", List.of("string", "number", "boolean"))),
                "max_rows",
                    Map.of(
                        "type",
                        "integer",
                        "minimum",
                        1,
                        "maximum",
                        maxRows,
                        "description",
                        "most rows to return; the policy's row limit may lower it"),
                "approval_id",
                    Schemas.string(
                        "id from an earlier result that needed approval: resumes that request")),
            List.of("sql"));
    var column =
        Schemas.object(
            Schemas.props(
                "name", Schemas.type("string"),
                "type", Schemas.type("string"),
                "masked", Schemas.type("boolean")),
            List.of("name", "type", "masked"));
    var output =
        Schemas.object(
            Schemas.props(
                "columns", Schemas.arrayOf(column),
                "rows", Schemas.arrayOf(Schemas.arrayOf(Schemas.nullable("string"))),
                "row_count", Schemas.type("integer"),
                "truncated", Schemas.type("boolean"),
                "statement_kind", Schemas.type("string"),
                "decision", Schemas.decision(),
                "audit_id", Schemas.type("string"),
                "approval_id", Schemas.nullable("string")),
            List.of(
                "columns",
                "rows",
                "row_count",
                "truncated",
                "statement_kind",
                "decision",
                "audit_id"));
    return McpSchema.Tool.builder()
        .name("query")
        .title("Query PostgreSQL (governed)")
        .description(
            "Runs SQL against the `"
                + database
                + "` PostgreSQL database as you, under the"
                + " gateway's policy. Reads run in read-only transactions; sensitive columns come"
                + " back masked (`masked: true`). Statements the policy refuses return an error"
                + " naming the rule; statements that need a human approver return an"
                + " `approval_id`: call again with the same sql, params and that id to resume."
                + " Cells are PostgreSQL's text output; NULL is null. Use $1, $2 with `params`"
                + " rather than quoting values into the SQL.")
        .inputSchema(input)
        .outputSchema(output)
        .annotations(
            new McpSchema.ToolAnnotations("Query PostgreSQL", false, true, false, false, null))
        .build();
  }

  @Override
  public McpSchema.Tool definition() {
    return definition;
  }

  @Override
  public boolean visibleTo(CallContext caller) {
    return gated.decide(caller, PROBE).decision().effect() != Effect.DENY;
  }

  @Override
  public McpSchema.CallToolResult call(CallContext caller, Map<String, Object> arguments) {
    Arguments args =
        new Arguments("query", arguments, Set.of("sql", "params", "max_rows", "approval_id"));
    return execute(
        caller,
        args.requiredText("sql"),
        args.params("params"),
        args.optionalPositiveInt("max_rows"),
        args.optionalUuid("approval_id"));
  }

  McpSchema.CallToolResult execute(
      CallContext caller, String sql, List<String> params, Integer maxRows, UUID approvalId) {
    Verdict verdict = withoutCopy(gated.decide(caller, sql));
    Decision decision = verdict.decision();
    UUID runUnder = null;
    switch (decision.effect()) {
      case DENY -> {
        String message = "denied: " + decision.explanation() + "; nothing ran";
        UUID auditId = gated.recordRefusal(caller, verdict, params, message, null);
        return ToolResults.error(ErrorKind.DENIED, message, decision, auditId, Map.of());
      }
      case REQUIRE_APPROVAL -> {
        switch (approvals.resolve(caller, verdict, sql, params, approvalId)) {
          case ApprovalFlow.Refused refused -> {
            return refused.result();
          }
          case ApprovalFlow.Approved approved -> runUnder = approved.approvalId();
        }
      }
      case ALLOW -> {
        // runs below
      }
    }
    int limit = gated.rowLimit(maxRows, decision.obligations());
    return switch (gated.run(caller, verdict, sql, params, limit, runUnder)) {
      case GatedStatements.Ran ran -> success(verdict, ran, runUnder);
      case GatedStatements.Failed f ->
          ToolResults.error(
              f.auditDown() ? ErrorKind.UNAVAILABLE : ErrorKind.SQL_ERROR,
              f.auditDown()
                  ? f.message()
                  : "PostgreSQL refused the statement (SQLSTATE "
                      + f.sqlState()
                      + "): "
                      + f.message(),
              decision,
              f.auditId(),
              f.auditDown() ? Map.of() : Map.of("sqlstate", f.sqlState()));
    };
  }

  private static McpSchema.CallToolResult success(
      Verdict verdict, GatedStatements.Ran ran, UUID approvalId) {
    QueryResult r = ran.result();
    String kind = statementKind(verdict);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "columns",
        r.columns().stream()
            .map(c -> Map.of("name", c.name(), "type", c.type(), "masked", c.masked()))
            .toList());
    out.put("rows", r.rows());
    out.put("row_count", r.rowCount());
    out.put("truncated", r.truncated());
    out.put("statement_kind", kind);
    out.put("decision", ToolResults.decision(verdict.decision()));
    out.put("audit_id", ran.auditId().toString());
    if (approvalId != null) {
      out.put("approval_id", approvalId.toString());
    }
    return ToolResults.success(out, TextRendering.table(r, kind));
  }

  /** Rule id of the MCP front end's refusal of COPY. */
  public static final String NO_COPY = "mcp-copy-unsupported";

  /**
   * COPY streams rows without the column descriptors masking needs, and a tool result is no file or
   * stream: the MCP front end refuses it, whatever the policy allows, and says what works.
   */
  private static Verdict withoutCopy(Verdict verdict) {
    boolean copy =
        verdict.analysis().statements().stream().anyMatch(s -> s.commandTag().startsWith("COPY"));
    if (!copy || verdict.decision().effect() == Effect.DENY) {
      return verdict;
    }
    return new Verdict(
        verdict.analysis(),
        new Decision(
            Effect.DENY,
            List.of(NO_COPY),
            "COPY is not available through MCP; run the SELECT it copies with `query` instead",
            dev.gatehouse.engine.policy.Obligations.NONE,
            verdict.decision().policyRevision()));
  }

  private static String statementKind(Verdict verdict) {
    List<StatementInfo> statements = verdict.analysis().statements();
    return statements.isEmpty() ? "UNKNOWN" : statements.getLast().commandTag();
  }
}
