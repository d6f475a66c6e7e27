package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.structured;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ParameterCases;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The wire's ParameterTautologyIT over MCP: a write whose {@code params} make it change every row
 * (or more than etl-nightly's bound of 100) waits for approval with those parameters; denied,
 * resuming with its id runs nothing and nothing changed.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "test.mcp.gate=engine",
      "test.mcp.context=parameter-tautology",
      "test.mcp.approval-wait-ms=50"
    })
class McpParameterTautologyIT {

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;
  private McpSyncClient etl;

  @BeforeEach
  void connect() {
    etl = McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY));
  }

  @AfterEach
  void close() {
    etl.close();
  }

  static Stream<Arguments> cases() {
    return ParameterCases.ALL.stream().map(c -> Arguments.of(c.sql(), c.params()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void waitsForApprovalWithItsParameters(String sql, List<String> params) throws Exception {
    String before = fingerprint();
    McpSchema.CallToolResult r = call(etl, "query", Map.of("sql", sql, "params", params));
    assertThat(error(r)).as(text(r)).containsEntry("kind", "approval_pending");
    UUID id = UUID.fromString((String) error(r).get("approval_id"));
    var request = fixture.approvals().find(id).orElseThrow();
    assertThat(request.sql()).isEqualTo(sql);
    assertThat(request.params()).hasSize(params.size());
    fixture.approvals().deny(id, dba(), "no");
    assertThat(fixture.approvals().find(id).orElseThrow().state()).isEqualTo(ApprovalState.DENIED);
    McpSchema.CallToolResult resumed =
        call(etl, "query", Map.of("sql", sql, "params", params, "approval_id", id.toString()));
    assertThat(resumed.isError()).as(text(resumed)).isTrue();
    assertThat(fingerprint()).isEqualTo(before);
  }

  private String fingerprint() {
    McpSchema.CallToolResult r = call(etl, "query", Map.of("sql", ParameterCases.FINGERPRINT));
    assertThat(r.isError()).as(text(r)).isFalse();
    return McpClients.rows(r).getFirst().getFirst();
  }

  private Principal dba() throws Exception {
    return fixture
        .gate()
        .authenticate(
            TestIssuer.get().tokenFor(ReferencePrincipal.DBA),
            new RequestContext(Channel.CLI, "shop", "test", null, Instant.now()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult r) {
    Object e = structured(r).get("error");
    return e == null ? Map.of() : (Map<String, Object>) e;
  }
}
