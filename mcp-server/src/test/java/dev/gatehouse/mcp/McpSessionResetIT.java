package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.query;
import static dev.gatehouse.mcp.McpClients.rows;
import static dev.gatehouse.mcp.McpClients.structured;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Pooled upstream sessions skip their reset between plain reads, but a call that changed the
 * session (a SET, a describe, an approved run that created temporary objects) never leaves its
 * settings or objects to the next call.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"test.mcp.gate=engine", "test.mcp.pool-size=1"})
class McpSessionResetIT {

  private static final String SEARCH_PATH = "SELECT current_setting('search_path')";

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;

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

  /**
   * Red-team round 51: the reset ran in the call's own transaction, so a message beginning with
   * ROLLBACK undid it and saw the previous caller's search_path.
   */
  @Test
  void aLeadingRollbackDoesNotUndoTheReset() {
    try (McpSyncClient analyst =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST))) {
      String initial = single(query(analyst, SEARCH_PATH));
      for (String end : java.util.List.of("ROLLBACK", "ABORT", "COMMIT")) {
        McpSchema.CallToolResult set = query(analyst, "SET search_path TO app");
        assertThat(set.isError()).as(text(set)).isFalse();
        McpSchema.CallToolResult after = query(analyst, end + "; " + SEARCH_PATH);
        assertThat(after.isError()).as(text(after)).isFalse();
        assertThat(rows(after).getFirst().getFirst()).as(end).isEqualTo(initial);
      }
    }
  }

  /**
   * Red-team round 52: a setting that acts while the connection waits in the pool closed it there
   * (idle_session_timeout), and the next caller of another session got 08006.
   */
  @Test
  void aTimerSetInOneCallDoesNotActBetweenCalls() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST);
    try (McpSyncClient first = McpClients.http(port, token);
        McpSyncClient second = McpClients.http(port, token)) {
      for (int round = 0; round < 3; round++) {
        McpSchema.CallToolResult set = query(first, "SET idle_session_timeout = 50; SELECT 1");
        assertThat(set.isError()).as(text(set)).isFalse();
        // Past the 50 ms, within the pool's 500 ms in which it hands out a connection unchecked.
        Thread.sleep(200);
        assertThat(single(query(second, "SELECT 1"))).isEqualTo("1");
      }
    }
  }

  /**
   * Red-team round 51: a seed one call gave {@code random()} made the next callers' values on the
   * pooled connection predictable; each reset seeds it anew.
   */
  @Test
  void aSeedDoesNotOutliveItsCall() {
    try (McpSyncClient analyst =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST))) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < 3; i++) {
        McpSchema.CallToolResult seeded = query(analyst, "SELECT setseed(0.5)");
        assertThat(seeded.isError()).as(text(seeded)).isFalse();
        seen.add(single(query(analyst, "SELECT random()::text")));
      }
      // Seeded with 0.5 each time, the three values would be the same one.
      assertThat(seen).hasSize(3);
    }
  }

  /**
   * Red-team round 50: approved runs share the pooled connections of the stronger role, and a
   * temporary type one of them created was still there for the next approved run (temporary names
   * are looked up before pg_catalog's), so a permanent table was built on it.
   */
  @Test
  void temporaryObjectsOfAnApprovedRunAreGoneForTheNextCall() throws Exception {
    try (McpSyncClient etl =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY))) {
      McpSchema.CallToolResult created =
          approved(etl, "CREATE DOMAIN pg_temp.r50_leftover AS text");
      assertThat(created.isError()).as(text(created)).isFalse();
      McpSchema.CallToolResult later =
          approved(etl, "CREATE TABLE app.r50_probe AS SELECT 'x'::pg_temp.r50_leftover AS t");
      assertThat(later.isError()).as("the domain outlived its call: " + text(later)).isTrue();
      assertThat(text(later)).as("undefined object").contains("sqlstate: 42704");
    }
  }

  /** Asks, has a dba approve, and runs {@code sql} on the approval. */
  private McpSchema.CallToolResult approved(McpSyncClient client, String sql) throws Exception {
    McpSchema.CallToolResult asked = query(client, sql);
    assertThat(asked.isError()).as("needs approval: " + text(asked)).isTrue();
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) structured(asked).get("error");
    String id = (String) error.get("approval_id");
    assertThat(id).as(text(asked)).isNotNull();
    fixture
        .approvals()
        .approve(
            UUID.fromString(id),
            fixture
                .gate()
                .authenticate(
                    TestIssuer.get().tokenFor(ReferencePrincipal.DBA),
                    new RequestContext(Channel.CLI, "shop", "test", null, Instant.now())));
    return call(client, "query", Map.of("sql", sql, "approval_id", id));
  }

  private static String single(McpSchema.CallToolResult r) {
    assertThat(r.isError()).as(text(r)).isFalse();
    return rows(r).getFirst().getFirst();
  }
}
