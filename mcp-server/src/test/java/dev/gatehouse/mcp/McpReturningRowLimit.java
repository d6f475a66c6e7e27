package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A writer's row limit over MCP holds for the rows its writes return, as on the wire
 * (ReturningRowLimitIT): UPDATE, INSERT and DELETE … RETURNING, with parameters, inside {@code
 * BEGIN; …; COMMIT} and in a CTE (under a bound the CTE waits for a dba; the approved run is
 * limited too). Each write changes three rows; the caller gets one and the truncation note. Run
 * with the etl-nightly grant's blast-radius bound ({@link McpBoundedReturningRowLimitIT}) and
 * without it ({@link McpReturningRowLimitIT}).
 */
abstract class McpReturningRowLimit {

  private static final AtomicInteger NEXT = new AtomicInteger(100);

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

  abstract boolean bounded();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE app.orders SET note = 'r' WHERE id BETWEEN %d AND %d RETURNING id",
        "DELETE FROM app.orders WHERE id BETWEEN %d AND %d RETURNING id",
        "INSERT INTO app.orders (customer_id, total, note)"
            + " SELECT 1, 1, 'i' FROM generate_series(%d, %d) RETURNING id",
        "BEGIN; UPDATE app.orders SET note = 't' WHERE id BETWEEN %d AND %d RETURNING id; COMMIT",
        "UPDATE app.orders SET note = $1 WHERE id BETWEEN %d AND %d RETURNING id, note",
        "WITH x AS (UPDATE app.orders SET note = 'c' WHERE id BETWEEN %d AND %d RETURNING id)"
            + " SELECT id FROM x"
      })
  void theCallerGetsTheLimitAndTheNote(String template) throws Exception {
    int from = NEXT.getAndAdd(3);
    Map<String, Object> args = new HashMap<>();
    args.put("sql", String.format(template, from, from + 2));
    if (template.contains("$1")) {
      args.put("params", List.of("p"));
    }
    McpSchema.CallToolResult r = call(etl, "query", args);
    if (bounded() && template.startsWith("WITH")) {
      // a write in a CTE cannot be counted: it waits; approved, it runs once, limited too
      assertThat(error(r)).as(text(r)).containsEntry("kind", "approval_pending");
      UUID id = UUID.fromString((String) error(r).get("approval_id"));
      fixture.approvals().approve(id, dba());
      args.put("approval_id", id.toString());
      r = call(etl, "query", args);
    }
    assertThat(r.isError()).as(text(r)).isFalse();
    // BEGIN; ...; COMMIT: the write's result is one of the message's statements
    List<Map<String, Object>> results = statements(r);
    assertThat(results)
        .as(text(r))
        .anySatisfy(
            s -> {
              assertThat((List<?>) s.get("rows")).hasSize(1);
              assertThat(s).containsEntry("truncated", true);
            });
    assertThat(results.stream().mapToInt(s -> ((List<?>) s.get("rows")).size()).sum()).isEqualTo(1);
    assertThat((String) structured(r).get("truncation"))
        .contains("only the first 1 rows")
        .contains("the policy sets for you");
  }

  private Principal dba() throws Exception {
    return fixture
        .gate()
        .authenticate(
            TestIssuer.get().tokenFor(ReferencePrincipal.DBA),
            new RequestContext(Channel.CLI, "shop", "test", null, Instant.now()));
  }

  /** Each statement's result, or the one result of a message with one statement. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statements(McpSchema.CallToolResult r) {
    Object all = structured(r).get("statements");
    return all == null ? List.of(structured(r)) : (List<Map<String, Object>>) all;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult r) {
    Object e = structured(r).get("error");
    return e == null ? Map.of() : (Map<String, Object>) e;
  }
}
