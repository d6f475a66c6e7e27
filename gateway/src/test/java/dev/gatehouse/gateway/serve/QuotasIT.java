package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "one analyst opens idle wire sessions until the upstream is full" against a real
 * gateway ({@code serve} in process) and the test PostgreSQL, with the quotas of its YAML: the
 * analyst is refused with 53300 naming its quota, etl-nightly still connects and runs over the wire
 * and through MCP, MCP sessions have their own quota, and every count returns after the sessions
 * close, abruptly or not.
 */
class QuotasIT {

  @TempDir static Path dir;
  private static GatewayServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String control = pg.createEmptyDatabase("quotas_control");
    String config =
        ExampleConfig.adapted(pg, control, "1s")
            .replace("reload: 10s", "reload: 0s")
            .replace("apiUrl: https://slack.com/api/", "apiUrl: http://127.0.0.1:9/api/")
            .replace("  mcpSessionsPerPrincipal: 20", "  mcpSessionsPerPrincipal: 2")
            .replace("    # maxConnections: 200", "    maxConnections: 12");
    assertThat(config).contains("    maxConnections: 12 ").contains("mcpSessionsPerPrincipal: 2 ");
    Path file = ExampleConfig.write(dir, config);
    Map<String, String> env = ExampleConfig.env(pg, "xoxb-1-2-quotas", "0123456789abcdef0123");
    GatewayConfig gateway = new GatewayConfigReader(env::get).read(file);
    server = GatewayServer.start(gateway, env::get);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Connection wire(ReferencePrincipal principal) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", principal.subject());
    p.setProperty("password", TestIssuer.get().tokenFor(principal));
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.wirePort() + "/shop?sslmode=disable", p);
  }

  @Test
  void anAnalystsIdleSessionsLeaveEtlNightlyTheWireAndMcp() throws Exception {
    int share = server.quotas().upstreamPerPrincipal();
    assertThat(server.quotas().upstreamBudget()).isEqualTo(12);
    assertThat(share).isEqualTo(6);
    List<Connection> analyst = new ArrayList<>();
    try {
      // The analyst opens idle sessions until its share of the upstream is taken.
      for (int i = 0; i < share; i++) {
        analyst.add(wire(ReferencePrincipal.ANALYST));
      }
      assertThatThrownBy(() -> wire(ReferencePrincipal.ANALYST))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53300"))
          .hasMessageContaining(
              "too many upstream connections for principal `analyst`: the limit is 6"
                  + " (quotas.upstream.perPrincipal)");
      try (Connection etl = wire(ReferencePrincipal.ETL_NIGHTLY);
          Statement s = etl.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isPositive();
      }
      String session =
          initialize(ReferencePrincipal.ETL_NIGHTLY)
              .headers()
              .firstValue("Mcp-Session-Id")
              .orElseThrow();
      String result =
          post(
                  ReferencePrincipal.ETL_NIGHTLY,
                  session,
                  "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                      + "\"query\",\"arguments\":{\"sql\":\"SELECT count(*) AS n FROM"
                      + " app.orders\"}}}")
              .body();
      assertThat(result).contains("\"isError\":false").contains("\"n\"");
      delete(ReferencePrincipal.ETL_NIGHTLY, session);
    } finally {
      for (int i = 0; i < analyst.size(); i++) {
        if (i % 2 == 0) {
          analyst.get(i).close();
        } else {
          analyst.get(i).abort(Executors.newVirtualThreadPerTaskExecutor());
        }
      }
    }
    awaitZero(() -> server.quotas().inUse(Quota.UPSTREAM_PER_PRINCIPAL, "analyst"));
    awaitZero(() -> server.quotas().inUse(Quota.WIRE_SESSIONS, "analyst"));
    awaitZero(() -> server.quotas().inUse(Quota.UPSTREAM_TOTAL, ""));
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.httpPort() + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + ExampleConfig.METRICS_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .containsPattern(
            "gatehouse_quota_refusals_total\\{holder=\"analyst\",quota=\"upstream-per-principal\"} [1-9]")
        .contains("gatehouse_quota_in_use{holder=\"analyst\",quota=\"wire-sessions\"} 0.0");
  }

  @Test
  void mcpSessionsHaveAQuotaPerPrincipalAndAnEndedSessionGivesItsPlaceBack() throws Exception {
    String first =
        initialize(ReferencePrincipal.SUPPORT_LEAD)
            .headers()
            .firstValue("Mcp-Session-Id")
            .orElseThrow();
    String second =
        initialize(ReferencePrincipal.SUPPORT_LEAD)
            .headers()
            .firstValue("Mcp-Session-Id")
            .orElseThrow();
    HttpResponse<String> third = initialize(ReferencePrincipal.SUPPORT_LEAD);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(third.body())
        .contains(
            "too many MCP sessions for principal `support-lead`: the limit is 2"
                + " (quotas.mcpSessionsPerPrincipal); end one (HTTP DELETE) and try again");
    // Another principal is not affected.
    String etl =
        initialize(ReferencePrincipal.ETL_NIGHTLY)
            .headers()
            .firstValue("Mcp-Session-Id")
            .orElseThrow();
    delete(ReferencePrincipal.ETL_NIGHTLY, etl);
    delete(ReferencePrincipal.SUPPORT_LEAD, first);
    awaitValue(() -> server.quotas().inUse(Quota.MCP_SESSIONS, "support-lead"), 1);
    String again =
        initialize(ReferencePrincipal.SUPPORT_LEAD)
            .headers()
            .firstValue("Mcp-Session-Id")
            .orElseThrow();
    delete(ReferencePrincipal.SUPPORT_LEAD, second);
    delete(ReferencePrincipal.SUPPORT_LEAD, again);
    awaitZero(() -> server.quotas().inUse(Quota.MCP_SESSIONS, "support-lead"));
  }

  private static HttpResponse<String> initialize(ReferencePrincipal who) throws Exception {
    return post(
        who,
        null,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"quotas-it\","
            + "\"version\":\"1\"}}}");
  }

  private static HttpResponse<String> post(ReferencePrincipal who, String session, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", "Bearer " + TestIssuer.get().tokenFor(who))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void delete(ReferencePrincipal who, String session) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/mcp"))
                .header("Authorization", "Bearer " + TestIssuer.get().tokenFor(who))
                .header("Mcp-Session-Id", session)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(300);
  }

  private static void awaitZero(IntSupplier count) throws InterruptedException {
    awaitValue(count, 0);
  }

  private static void awaitValue(IntSupplier count, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (count.getAsInt() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(count.getAsInt()).isEqualTo(expected);
  }
}
