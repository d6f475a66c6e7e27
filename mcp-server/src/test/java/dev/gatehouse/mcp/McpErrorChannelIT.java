package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mcp.testgate.EngineGates;
import dev.gatehouse.testkit.ErrorEchoCases;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every case of {@link ErrorEchoCases} through MCP's {@code query}, as analyst or etl-nightly under
 * the reference policy: refused, or run; neither the tool result's text nor its structured content
 * ({@code sql_error} message, rows) carries a masked value, and afterwards no audit record does.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // a context (engine, control database, shop copy with the cases' objects) of its own
    properties = {"test.mcp.gate=engine", "test.mcp.suite=error-channel"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McpErrorChannelIT {

  @LocalServerPort int port;

  private static boolean prepared;

  static List<ErrorEchoCases.Case> cases() {
    return ErrorEchoCases.all();
  }

  private static synchronized void prepare() throws SQLException {
    if (prepared) {
      return;
    }
    try (Connection c = TestPostgres.get().connectAsAdmin(EngineGates.lastDatabase());
        Statement s = c.createStatement()) {
      for (String sql : ErrorEchoCases.SETUP) {
        s.execute(sql);
      }
    }
    prepared = true;
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void noFieldCarriesAValue(ErrorEchoCases.Case c) throws Exception {
    prepare();
    McpSyncClient client = McpClients.http(port, TestIssuer.get().tokenFor(c.principal()));
    try {
      McpSchema.CallToolResult r = McpClients.call(client, "query", Map.of("sql", c.sql()));
      String text = McpClients.text(r);
      Map<String, Object> structured = McpClients.structured(r);
      assertThat(ErrorEchoCases.leakIn(text)).as("%s: %s", c, text).isNull();
      assertThat(ErrorEchoCases.leakIn(String.valueOf(structured)))
          .as("%s: %s", c, structured)
          .isNull();
    } finally {
      client.close();
    }
  }

  @Order(1)
  @Test
  void aClearedPrincipalSeesTheFunctionsTextAndTheTrailDoesNot() throws Exception {
    prepare();
    McpSyncClient client =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.SUPPORT_LEAD));
    try {
      McpSchema.CallToolResult r =
          McpClients.call(client, "query", Map.of("sql", "SELECT app.ssn_raised(1)"));
      // the function raises with SQLSTATE 42501, which otherwise says nothing about values
      assertThat(McpClients.text(r)).contains("9999-90-912");
    } finally {
      client.close();
    }
    // noAuditRecordCarriesAValue, after this, reads the record
  }

  @Order(2)
  @Test
  void noAuditRecordCarriesAValue() throws Exception {
    var control = EngineGates.last().control().settings();
    TestPostgres pg = TestPostgres.get();
    List<String> bodies = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(control.jdbcUrl(), pg.adminUser(), pg.adminPassword());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT body FROM "
                    + control.schema()
                    + ".audit_record WHERE body LIKE '%sqlState%'")) {
      while (rs.next()) {
        bodies.add(rs.getString(1));
      }
    }
    assertThat(bodies).isNotEmpty();
    for (String body : bodies) {
      String said = body.replaceAll("\"sql\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"", "\"sql\":\"\"");
      assertThat(ErrorEchoCases.leakIn(said)).as(body).isNull();
    }
  }
}
