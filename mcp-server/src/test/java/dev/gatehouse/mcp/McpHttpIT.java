package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.query;
import static dev.gatehouse.mcp.McpClients.rows;
import static dev.gatehouse.mcp.McpClients.structured;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The tools over streamable HTTP with the MCP Java SDK client, as each reference principal. */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class McpHttpIT {

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;

  private McpSyncClient client(ReferencePrincipal p) {
    return McpClients.http(port, TestIssuer.get().tokenFor(p));
  }

  @Test
  void listsToolsPerCaller() {
    try (McpSyncClient analyst = client(ReferencePrincipal.ANALYST);
        McpSyncClient contractor = client(ReferencePrincipal.CONTRACTOR)) {
      List<McpSchema.Tool> tools = analyst.listTools().tools();
      assertThat(tools)
          .extracting(McpSchema.Tool::name)
          .containsExactly("query", "describe", "explain", "approval_status");
      for (McpSchema.Tool tool : tools) {
        McpSchema.ToolAnnotations a = tool.annotations();
        assertThat(
                List.of(
                    a.readOnlyHint(), a.destructiveHint(), a.idempotentHint(), a.openWorldHint()))
            .doesNotContainNull();
        assertThat(tool.outputSchema()).containsKey("properties");
      }
      assertThat(contractor.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactly("describe");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void analystQueriesWithMasking() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          query(c, "SELECT id, full_name, email FROM app.customers WHERE id = 1");
      assertThat(r.isError()).as(text(r)).isFalse();
      Map<String, Object> s = structured(r);
      assertThat(s.get("statement_kind")).isEqualTo("SELECT");
      assertThat(s.get("row_count")).isEqualTo(1);
      assertThat(rows(r).getFirst().get(2)).isEqualTo("****");
      assertThat((List<Object>) s.get("columns"))
          .contains(Map.of("name", "email", "type", "text", "masked", true));
      assertThat(s.get("decision"))
          .isEqualTo(Map.of("effect", "ALLOW", "rule_ids", List.of("test-read")));
      assertThat(fixture.audit().find(java.util.UUID.fromString((String) s.get("audit_id"))))
          .isPresent();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aMessageOfSeveralStatementsReturnsEachStatementsResult() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          query(
              c,
              "SELECT id, email FROM app.customers WHERE id = 1;"
                  + " SELECT id FROM app.customers WHERE id = 2");
      assertThat(r.isError()).as(text(r)).isFalse();
      Map<String, Object> s = structured(r);
      List<Map<String, Object>> each = (List<Map<String, Object>>) s.get("statements");
      assertThat(each).hasSize(2);
      assertThat(each.get(0).get("rows")).isEqualTo(List.of(List.of("1", "****")));
      assertThat(each.get(1).get("rows")).isEqualTo(List.of(List.of("2")));
      // The top-level fields are the last statement's, as before.
      assertThat(rows(r)).isEqualTo(List.of(List.of("2")));
      assertThat(text(r)).contains("Statement 1 of 2").contains("Statement 2 of 2");
    }
  }

  @Test
  void supportLeadSeesClearValues() {
    try (McpSyncClient c = client(ReferencePrincipal.SUPPORT_LEAD)) {
      McpSchema.CallToolResult r = query(c, "SELECT email FROM app.customers WHERE id = 1");
      assertThat(r.isError()).as(text(r)).isFalse();
      assertThat(rows(r).getFirst().getFirst()).contains("@");
    }
  }

  @Test
  void denialIsAToolErrorWithRuleIds() {
    try (McpSyncClient c = client(ReferencePrincipal.CONTRACTOR)) {
      McpSchema.CallToolResult r = query(c, "SELECT 1");
      assertThat(r.isError()).isTrue();
      assertThat(text(r)).contains("denied").contains("test-default-deny");
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) structured(r).get("error");
      assertThat(error)
          .containsEntry("kind", "denied")
          .containsEntry("rule_ids", List.of("test-default-deny"));
    }
  }

  @Test
  void sqlErrorIsAToolError() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r = query(c, "SELECT no_such_column FROM app.customers");
      assertThat(r.isError()).isTrue();
      assertThat(text(r)).contains("42703").contains("line 1, column 8, near `no_such_column`");
      McpSchema.CallToolResult syntax = query(c, "SELECT id,\n  FROM app.customers");
      assertThat(text(syntax)).contains("42601").contains("line 2, column 3, near `FROM`");
    }
  }

  @Test
  void argumentErrorsAreToolResultsAndAnUnknownToolIsAProtocolError() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult bogus = call(c, "query", Map.of("sql", "SELECT 1", "bogus", 1));
      assertThat(bogus.isError()).isTrue();
      assertThat(text(bogus)).contains("invalid arguments").contains("`bogus`");
      assertThat(bogus.structuredContent().toString()).contains("invalid_arguments");
      McpSchema.CallToolResult empty = call(c, "query", Map.of());
      assertThat(empty.isError()).isTrue();
      assertThat(text(empty)).contains("`sql`");
      assertThatThrownBy(() -> call(c, "no_such_tool", Map.of()))
          .isInstanceOf(McpError.class)
          .hasMessageContaining("no_such_tool");
    }
  }

  /**
   * Red-team round 60: a key word ending in E before a quote ({@code ELSE'\'}) starts no escape
   * string, so the {@code $1} after it is a parameter; each {@code $n} gets its own value, as the
   * analysis and an approver saw them.
   */
  @Test
  void eachParameterGetsItsOwnValue() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          call(
              c,
              "query",
              Map.of(
                  "sql",
                  "SELECT $2::text AS second, CASE WHEN false THEN 'x' ELSE'\\' END AS n,"
                      + " $1::text AS first",
                  "params",
                  List.of("P1", "P2")));
      assertThat(r.isError()).as(text(r)).isFalse();
      assertThat(rows(r)).isEqualTo(List.of(List.of("P2", "\\", "P1")));
    }
  }

  /**
   * Red-team round 61: pgjdbc ends a comment at the second character of {@code /*}{@code /}, where
   * PostgreSQL and the analysis nest, and rewrote a JDBC escape inside it; the analysis read {@code
   * SELECT 'a' || $1::text || 'b' || 'c'} while PostgreSQL ran a subquery that read three SSNs in
   * clear. The text pgjdbc gets now has no comments: what runs is what was analysed.
   */
  @Test
  void sqlInsideACommentNeverRuns() {
    String a = "*/ || $1::text /*/";
    String b = "*/ || 'b' /*/";
    String c = "*/ || 'c' /*/ /*/";
    String d =
        "*/ || (SELECT string_agg(ssn, '/' ORDER BY id) FROM app.customers WHERE id < 4) /*/";
    String sql = "SELECT 'a'/*/{fn insert(" + String.join(",", a, b, c, d) + ")}*/ */ AS v";
    try (McpSyncClient client = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          call(client, "query", Map.of("sql", sql, "params", List.of("P1")));
      assertThat(r.isError()).as(text(r)).isFalse();
      McpSchema.CallToolResult analysed =
          call(
              client,
              "query",
              Map.of("sql", "SELECT 'a' || $1::text || 'b' || 'c' AS v", "params", List.of("P1")));
      // what ran is what the analysis read, and nothing of the comment (the gate may mask the
      // value whole: the comment names app.customers, which a check of the text counts as read)
      assertThat(rows(analysed)).isEqualTo(List.of(List.of("aP1bc")));
      assertThat(rows(r)).hasSize(1);
      assertThat(rows(r).getFirst().getFirst()).isIn("aP1bc", "****");
      assertThat(text(r)).doesNotContain("219-09-9999").doesNotContain("078-05-1120");
    }
  }

  @Test
  void parameterZeroIsASqlError() {
    try (McpSyncClient client = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          call(client, "query", Map.of("sql", "SELECT $0::text AS v", "params", List.of("P1")));
      assertThat(r.isError()).isTrue();
      assertThat(text(r)).contains("42P02");
    }
  }

  @Test
  void paramsAndRowLimit() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          call(
              c,
              "query",
              Map.of(
                  "sql",
                  "SELECT id FROM app.orders WHERE id <= $1 ORDER BY id",
                  "params",
                  List.of(50),
                  "max_rows",
                  5));
      assertThat(r.isError()).as(text(r)).isFalse();
      assertThat(rows(r)).hasSize(5);
      assertThat(structured(r).get("truncated")).isEqualTo(true);
      assertThat((String) structured(r).get("truncation"))
          .contains("you asked for with `max_rows`");
      assertThat(rows(r).getFirst()).containsExactly("1");
      @SuppressWarnings("unchecked")
      var columns = (List<Map<String, Object>>) structured(r).get("columns");
      // app.orders.id is a bigserial column: its type is bigint.
      assertThat(columns.getFirst()).containsEntry("type", "bigint");
    }
  }

  @Test
  void describeShowsReadableObjectsAndMaskedColumns() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          call(c, "describe", Map.of("schema", "app", "table", "customers"));
      assertThat(r.isError()).as(text(r)).isFalse();
      assertThat(text(r)).contains("app.customers").contains("email text").contains("(masked)");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> schemas = (List<Map<String, Object>>) structured(r).get("schemas");
      assertThat(schemas).hasSize(1);
      assertThat((List<?>) structured(r).get("audit_ids")).hasSize(1);
    }
    try (McpSyncClient c = client(ReferencePrincipal.CONTRACTOR)) {
      McpSchema.CallToolResult r = call(c, "describe", Map.of());
      assertThat(r.isError()).isTrue();
      assertThat(text(r)).contains("test-default-deny");
    }
  }

  @Test
  void explainShowsAPlan() {
    try (McpSyncClient c = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          call(c, "explain", Map.of("sql", "SELECT * FROM app.orders WHERE id = 1"));
      assertThat(r.isError()).as(text(r)).isFalse();
      assertThat(text(r)).contains("QUERY PLAN").contains("Index Scan");
    }
  }
}
