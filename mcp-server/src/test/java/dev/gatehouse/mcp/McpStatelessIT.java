package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.query;
import static dev.gatehouse.mcp.McpClients.rows;
import static dev.gatehouse.mcp.McpClients.structured;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Stateless streamable HTTP: no sessions, every request stands alone, approvals resume by id. */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "test.mcp.stateless=true")
class McpStatelessIT {

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;

  @Test
  void toolsQueryAndDescribeWithoutSessions() throws Exception {
    try (McpSyncClient analyst =
            McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST));
        McpSyncClient contractor =
            McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.CONTRACTOR))) {
      assertThat(analyst.listTools().tools()).extracting(McpSchema.Tool::name).contains("query");
      assertThat(contractor.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactly("describe");
      McpSchema.CallToolResult r =
          query(analyst, "SELECT id, email FROM app.customers WHERE id = 2");
      assertThat(r.isError()).as(text(r)).isFalse();
      assertThat(rows(r).getFirst()).containsExactly("2", "****");
      assertThat(call(analyst, "describe", Map.of("table", "orders")).isError()).isFalse();
    }
    // A raw tools/list with no initialize and no session id is answered: any instance would do.
    HttpResponse<String> raw =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .header(
                        "Authorization",
                        "Bearer " + TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(raw.body()).contains("\"query\"").contains("\"describe\"");
  }

  @Test
  void approvalResumesByIdWithoutASession() throws Exception {
    String sql = "UPDATE app.orders SET note = note /* stateless */";
    String id;
    try (McpSyncClient etl =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY))) {
      McpSchema.CallToolResult pending = query(etl, sql);
      assertThat(pending.isError()).isTrue();
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) structured(pending).get("error");
      id = (String) error.get("approval_id");
    }
    Principal dba =
        fixture
            .gate()
            .authenticate(
                TestIssuer.get().tokenFor(ReferencePrincipal.DBA),
                new RequestContext(Channel.CLI, "shop", "t", null, Instant.now()));
    fixture.approvals().approve(UUID.fromString(id), dba);
    // A new client (a new connection, possibly another instance) resumes it.
    try (McpSyncClient etl =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY))) {
      McpSchema.CallToolResult done = call(etl, "query", Map.of("sql", sql, "approval_id", id));
      assertThat(done.isError()).as(text(done)).isFalse();
      assertThat(((Number) structured(done).get("row_count")).longValue()).isEqualTo(5000);
    }
  }
}
