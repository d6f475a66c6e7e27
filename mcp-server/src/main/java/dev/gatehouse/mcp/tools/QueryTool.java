package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.ChannelLimits;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Verdict;
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

  static McpSchema.Tool define(int maxRows, String database) {
    var input =
        Schemas.object(
            Schemas.props(
                "sql",
                    Schemas.string(
                        "one PostgreSQL statement, or several separated by `;` (judged as a"
                            + " whole; each one's result is returned)"),
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
        Schemas.result(
            Schemas.props(
                "columns", Schemas.arrayOf(column),
                "rows", Schemas.arrayOf(Schemas.arrayOf(Schemas.nullable("string"))),
                "row_count", Schemas.type("integer"),
                "truncated", Schemas.type("boolean"),
                "truncation",
                    Schemas.string(
                        "when truncated: which limit cut the rows or cells, and what to do"),
                "statement_kind", Schemas.type("string"),
                "decision", Schemas.decision(),
                "audit_id", Schemas.type("string"),
                "approval_id", Schemas.nullable("string"),
                "statements",
                    Map.of(
                        "type",
                        "array",
                        "description",
                        "when `sql` held several statements: each one's result, in order (the"
                            + " fields above are the last one's)",
                        "items",
                        Schemas.object(
                            Schemas.props(
                                "statement_kind", Schemas.type("string"),
                                "columns", Schemas.arrayOf(column),
                                "rows",
                                    Schemas.arrayOf(Schemas.arrayOf(Schemas.nullable("string"))),
                                "row_count", Schemas.type("integer"),
                                "truncated", Schemas.type("boolean")),
                            List.of(
                                "statement_kind", "columns", "rows", "row_count", "truncated")))),
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
    Admitted admitted;
    switch (gated.admit(caller, sql, params, approvalId)) {
      case Refused refused -> {
        return ToolResults.refused(refused);
      }
      case AwaitingApproval awaiting -> {
        switch (approvals.resolve(caller, awaiting)) {
          case ApprovalFlow.Refused refused -> {
            return refused.result();
          }
          case ApprovalFlow.Approved approved -> admitted = approved.admitted();
        }
      }
      case Admitted a -> admitted = a;
    }
    Decision decision = admitted.verdict().decision();
    int limit = gated.rowLimit(maxRows, admitted.obligations());
    GatedStatements.Outcome outcome = gated.run(caller, admitted, sql, params, limit);
    while (outcome instanceof GatedStatements.Held held) {
      // Past its row bound and rolled back: a dba sees the count. Approved while the caller
      // waits, it runs once more bounded by that count; else the caller resumes with the id.
      switch (approvals.resolve(caller, held.awaiting())) {
        case ApprovalFlow.Refused refused -> {
          return refused.result();
        }
        case ApprovalFlow.Approved approved -> {
          admitted = approved.admitted();
          outcome = gated.run(caller, admitted, sql, params, limit);
        }
      }
    }
    return switch (outcome) {
      case GatedStatements.Ran ran ->
          success(
              admitted.verdict(),
              ran,
              admitted.approvalId(),
              Truncation.note(
                  ran.result(), limit, maxRows, gated.config(), admitted.obligations()));
      case GatedStatements.Failed f -> failed(decision, f);
      case GatedStatements.Held h -> throw new IllegalStateException("held outcomes are resolved");
    };
  }

  static McpSchema.CallToolResult failed(Decision decision, GatedStatements.Failed f) {
    if (f.unavailable()) {
      return ToolResults.error(
          ErrorKind.UNAVAILABLE,
          f.message(),
          decision,
          f.auditId(),
          Map.of("sqlstate", f.sqlState()));
    }
    // PostgreSQL's message can quote a value from the database (`invalid input syntax for type
    // integer: "…"` over a column): in the text it is data, escaped and inside a boundary.
    UntrustedData.Boundaries boundaries = new UntrustedData.Boundaries();
    String text =
        "PostgreSQL refused the statement (SQLSTATE "
            + f.sqlState()
            + "). Its message can quote values from the database:\n"
            + boundaries.wrap("lines of the message", UntrustedData.escape(f.message()));
    return ToolResults.error(
        ErrorKind.SQL_ERROR,
        "PostgreSQL refused the statement (SQLSTATE " + f.sqlState() + "): " + f.message(),
        text,
        boundaries,
        decision,
        f.auditId(),
        Map.of("sqlstate", f.sqlState()));
  }

  static McpSchema.CallToolResult success(
      Verdict verdict, GatedStatements.Ran ran, UUID approvalId, String truncation) {
    QueryResult r = ran.result();
    UntrustedData.Boundaries boundaries = new UntrustedData.Boundaries();
    List<String> kinds = statementKinds(verdict, r.statements().size());
    String kind = kinds.getLast();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("columns", columns(r));
    out.put("rows", r.rows());
    out.put("row_count", r.rowCount());
    out.put("truncated", r.anyRowsCut() || r.anyCellsCut());
    if (truncation != null) {
      out.put("truncation", truncation);
    }
    out.put("statement_kind", kind);
    out.put("decision", ToolResults.decision(verdict.decision()));
    out.put("audit_id", ran.auditId().toString());
    if (approvalId != null) {
      out.put("approval_id", approvalId.toString());
    }
    if (!r.earlier().isEmpty()) {
      // Several statements: each one's result, in order; the fields above are the last one's.
      List<Map<String, Object>> each = new java.util.ArrayList<>();
      List<QueryResult> all = r.statements();
      for (int i = 0; i < all.size(); i++) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("statement_kind", kinds.get(i));
        one.put("columns", columns(all.get(i)));
        one.put("rows", all.get(i).rows());
        one.put("row_count", all.get(i).rowCount());
        one.put("truncated", all.get(i).truncated());
        each.add(one);
      }
      out.put("statements", each);
      return ToolResults.success(
          out, TextRendering.statements(all, kinds, truncation, boundaries), boundaries);
    }
    return ToolResults.success(
        out, TextRendering.table(r, kind, truncation, boundaries), boundaries);
  }

  private static List<Map<String, Object>> columns(QueryResult r) {
    return r.columns().stream()
        .map(c -> Map.<String, Object>of("name", c.name(), "type", c.type(), "masked", c.masked()))
        .toList();
  }

  /** Rule id of the MCP front end's refusal of COPY (decided by admission's channel limits). */
  public static final String NO_COPY = ChannelLimits.NO_COPY_OVER_MCP;

  /**
   * The command tag of each of {@code results} results: the analysis's statements in order when
   * they match the results one to one, otherwise the last statement's tag for the last result.
   */
  private static List<String> statementKinds(Verdict verdict, int results) {
    List<StatementInfo> statements = verdict.analysis().statements();
    String last = statements.isEmpty() ? "UNKNOWN" : statements.getLast().commandTag();
    if (statements.size() == results) {
      return statements.stream().map(StatementInfo::commandTag).toList();
    }
    List<String> kinds = new java.util.ArrayList<>();
    for (int i = 0; i < results - 1; i++) {
      kinds.add("UNKNOWN");
    }
    kinds.add(last);
    return kinds;
  }
}
