package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.structured;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The decision's obligations over MCP, as on the wire: the row limit (with the note saying whose
 * limit cut the rows), the statement timeout (57014) and the read-only session. The reference
 * policy with a 1 s timeout and a row limit of 7 for readers.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"test.mcp.gate=engine", "test.mcp.policy=tight-obligations"})
class McpObligationsIT {

  @LocalServerPort int port;

  private McpSyncClient client(ReferencePrincipal p) {
    return McpClients.http(port, TestIssuer.get().tokenFor(p));
  }

  @Test
  void thePolicysRowLimitCutsTheRowsAndSaysSo() {
    try (McpSyncClient analyst = client(ReferencePrincipal.ANALYST)) {
      McpSchema.CallToolResult r =
          call(
              analyst,
              "query",
              Map.of("sql", "SELECT g FROM generate_series(1, 25000) AS g", "max_rows", 100));
      assertThat(r.isError()).as(text(r)).isFalse();
      assertThat(McpClients.rows(r)).hasSize(7);
      assertThat(structured(r)).containsEntry("truncated", true);
      assertThat((String) structured(r).get("truncation"))
          .contains("only the first 7 rows")
          .contains("the policy sets for you");
    }
  }

  @Test
  void theTimeoutCancelsAStatementWith57014() {
    try (McpSyncClient analyst = client(ReferencePrincipal.ANALYST)) {
      assertThat(
              McpClients.rows(query(analyst, "SELECT current_setting('statement_timeout')"))
                  .getFirst())
          .containsExactly("1s");
      long started = System.nanoTime();
      McpSchema.CallToolResult r =
          query(analyst, "SELECT count(*) FROM generate_series(1, 100000000000)");
      assertThat(r.isError()).isTrue();
      assertThat(error(r)).containsEntry("kind", "sql_error").containsEntry("sqlstate", "57014");
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(20_000);
      // the next call runs normally
      assertThat(McpClients.rows(query(analyst, "SELECT 1")).getFirst()).containsExactly("1");
    }
  }

  @Test
  void readersRunReadOnlyAndTheWriterDoesNot() {
    String sql = "SELECT current_setting('transaction_read_only')";
    try (McpSyncClient analyst = client(ReferencePrincipal.ANALYST);
        McpSyncClient cleared = client(ReferencePrincipal.SUPPORT_LEAD);
        McpSyncClient etl = client(ReferencePrincipal.ETL_NIGHTLY)) {
      assertThat(McpClients.rows(query(analyst, sql))).isEqualTo(List.of(List.of("on")));
      assertThat(McpClients.rows(query(cleared, sql))).isEqualTo(List.of(List.of("on")));
      assertThat(McpClients.rows(query(etl, sql))).isEqualTo(List.of(List.of("off")));
    }
  }

  private static McpSchema.CallToolResult query(McpSyncClient c, String sql) {
    return call(c, "query", Map.of("sql", sql));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult r) {
    Object e = structured(r).get("error");
    return e == null ? Map.of() : (Map<String, Object>) e;
  }
}
