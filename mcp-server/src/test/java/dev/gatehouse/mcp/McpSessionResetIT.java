package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.query;
import static dev.gatehouse.mcp.McpClients.rows;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Pooled upstream sessions skip their reset between plain reads, but a call that changed the
 * session (a SET, a describe) never leaves its settings to the next call.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"test.mcp.gate=engine", "test.mcp.pool-size=1"})
class McpSessionResetIT {

  private static final String SEARCH_PATH = "SELECT current_setting('search_path')";

  @LocalServerPort int port;

  @Test
  void aSettingNeverOutlivesItsCall() {
    try (McpSyncClient analyst =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST))) {
      String initial = single(query(analyst, SEARCH_PATH));
      assertThat(initial).doesNotContain("app");
      for (int round = 0; round < 5; round++) {
        McpSchema.CallToolResult set = query(analyst, "SET search_path TO app");
        assertThat(set.isError()).as(text(set)).isFalse();
        // Plain reads in a row: the first after the SET resets the session, the next may skip it.
        assertThat(single(query(analyst, SEARCH_PATH))).isEqualTo(initial);
        assertThat(single(query(analyst, SEARCH_PATH))).isEqualTo(initial);
        assertThat(single(query(analyst, "SELECT current_setting('statement_timeout')")))
            .isEqualTo("30s");
      }
    }
  }

  private static String single(McpSchema.CallToolResult r) {
    assertThat(r.isError()).as(text(r)).isFalse();
    return rows(r).getFirst().getFirst();
  }
}
