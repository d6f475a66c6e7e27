package dev.gatehouse.mcp.tools;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code explain}: PostgreSQL's plan for a statement, never running it. The gate judges the EXPLAIN
 * itself. EXPLAIN ANALYZE executes the statement, so it is not offered here (that keeps this tool
 * read-only); where policy allows it, it goes through {@code query} like any statement.
 */
public final class ExplainTool implements GovernedTool {

  private final QueryTool query;
  private final McpSchema.Tool definition;

  public ExplainTool(QueryTool query) {
    this.query = query;
    this.definition =
        McpSchema.Tool.builder()
            .name("explain")
            .title("Explain a PostgreSQL statement (governed)")
            .description(
                "Shows PostgreSQL's query plan for `sql` without running it (EXPLAIN, not"
                    + " EXPLAIN ANALYZE). The result has the same shape as `query`: one `QUERY"
                    + " PLAN` column, one row per plan line.")
            .inputSchema(
                Schemas.object(
                    Schemas.props(
                        "sql", Schemas.string("the statement to explain"),
                        "params",
                            Map.of(
                                "type", "array",
                                "description", "values for $1, $2, ... in `sql`",
                                "items", Map.of("type", List.of("string", "number", "boolean")))),
                    List.of("sql")))
            .outputSchema(query.definition().outputSchema())
            .annotations(
                new McpSchema.ToolAnnotations(
                    "Explain a statement", true, false, true, false, null))
            .build();
  }

  @Override
  public McpSchema.Tool definition() {
    return definition;
  }

  @Override
  public boolean visibleTo(CallContext caller) {
    return query.visibleTo(caller);
  }

  @Override
  public McpSchema.CallToolResult call(CallContext caller, Map<String, Object> arguments) {
    Arguments args = new Arguments("explain", arguments, Set.of("sql", "params"));
    String sql = args.requiredText("sql");
    String head = sql.stripLeading().toLowerCase(java.util.Locale.ROOT);
    if (head.startsWith("(")
        || head.startsWith("analy")
        || head.startsWith("verbose")
        || head.startsWith("--")
        || head.startsWith("/*")) {
      throw new InvalidArgumentsException(
          "`explain` takes the statement alone, without EXPLAIN options or leading comments");
    }
    if (statements(sql) != 1) {
      // EXPLAIN would cover the first statement only; the rest would run (red-team R17).
      throw new InvalidArgumentsException(
          "`explain` takes one statement; send each statement in its own call");
    }
    return query.execute(caller, "EXPLAIN " + sql, args.params("params"), null, null);
  }

  /** How many statements {@code sql} holds, as the gateway's lexer splits them (-1: unreadable). */
  private static long statements(String sql) {
    try {
      return dev.gatehouse.engine.sql.lex.Splitter.split(sql).stream()
          .filter(s -> !s.text().isBlank())
          .count();
    } catch (dev.gatehouse.engine.sql.lex.LexException e) {
      return -1;
    }
  }
}
