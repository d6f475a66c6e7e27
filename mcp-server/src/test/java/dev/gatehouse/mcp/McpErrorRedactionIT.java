package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mcp.testgate.EngineGates;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Errors whose PostgreSQL text echoes a masked value, through MCP's {@code query}: the {@code
 * sql_error} keeps the SQLSTATE and withholds the value for a principal without clearance, a
 * cleared principal gets PostgreSQL's text, and the audit record stores the redacted text whoever
 * ran it.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // a context (engine, control database) of its own: other suites' records hold secret literals
    properties = {"test.mcp.gate=engine", "test.mcp.suite=errors"})
class McpErrorRedactionIT {

  @LocalServerPort int port;

  @Test
  void errorTextCarriesNoMaskedValueAndTheTrailNeither() throws Exception {
    // a cast of a user function's value (the analysis cannot see into it) could fail on the value
    // it returns: refused before it runs, like a cast of a masked column
    Map<String, Object> opaque =
        sqlError(ReferencePrincipal.ANALYST, "SELECT app.customer_email(1)::int");
    assertThat(opaque.get("kind")).isEqualTo("denied");
    // a cast of a masked column could fail on the value: refused before it runs
    Map<String, Object> cast =
        sqlError(ReferencePrincipal.ANALYST, "SELECT ssn::int FROM app.customers WHERE id = 1");
    assertThat(cast.get("kind")).isEqualTo("denied");
    // an integrity error on a table with masked columns would show the whole row
    Map<String, Object> row =
        sqlError(
            ReferencePrincipal.ETL_NIGHTLY, "UPDATE app.payments SET status = NULL WHERE id = 5");
    assertThat(row.get("kind")).isEqualTo("sql_error");
    assertThat(row.get("sqlstate")).isEqualTo("23502");
    // the cleared principal sees PostgreSQL's own text
    Map<String, Object> cleared =
        sqlError(
            ReferencePrincipal.SUPPORT_LEAD, "SELECT ssn::int FROM app.customers WHERE id = 1");
    assertThat((String) cleared.get("message")).contains("219-09-9999");
    List<String> bodies = auditBodies();
    assertThat(bodies).anyMatch(b -> b.contains("23502"));
    for (String body : bodies) {
      assertThat(Secrets.findIn(body)).as(body).isNull();
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> sqlError(ReferencePrincipal p, String sql) {
    McpSyncClient client = McpClients.http(port, TestIssuer.get().tokenFor(p));
    try {
      McpSchema.CallToolResult r = McpClients.call(client, "query", Map.of("sql", sql));
      String text = McpClients.text(r);
      assertThat(r.isError()).as(text).isTrue();
      if (p != ReferencePrincipal.SUPPORT_LEAD) {
        assertThat(Secrets.findIn(text)).as(text).isNull();
      }
      return (Map<String, Object>) McpClients.structured(r).get("error");
    } finally {
      client.close();
    }
  }

  /** The stored bodies, once the cleared principal's record (the last one) has arrived. */
  private static List<String> auditBodies() throws Exception {
    var control = EngineGates.last().control().settings();
    TestPostgres pg = TestPostgres.get();
    List<String> bodies = new ArrayList<>();
    Eventually.holdsWithin(
        Duration.ofSeconds(10),
        () -> {
          bodies.clear();
          try (Connection c =
                  DriverManager.getConnection(
                      control.jdbcUrl(), pg.adminUser(), pg.adminPassword());
              Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("SELECT body FROM " + control.schema() + ".audit_record")) {
            while (rs.next()) {
              bodies.add(rs.getString(1));
            }
          }
          return bodies.stream().anyMatch(b -> b.contains("22P02"));
        });
    return bodies;
  }
}
