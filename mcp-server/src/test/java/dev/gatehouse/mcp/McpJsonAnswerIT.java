package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streamable HTTP with sessions, raw: a request that asks for no progress is answered with one
 * {@code application/json} response; one with a {@code progressToken} gets an event stream. Either
 * way the session's checks and the audit are the same.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class McpJsonAnswerIT {

  private static final String INIT =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
      "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
  private static final String BOTH = "application/json, text/event-stream";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;

  private HttpResponse<String> post(String accept, String token, String session, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", accept)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String initialise(String token) throws IOException, InterruptedException {
    HttpResponse<String> init = post(BOTH, token, null, INIT);
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    HttpResponse<String> initialised =
        post(
            BOTH, token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    assertThat(initialised.statusCode()).isEqualTo(202);
    return session;
  }

  private static String call(Object id, String sql, String meta) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"tools/call\",\"params\":{\"name\":\"query\",\"arguments\":{\"sql\":\""
        + sql
        + "\"}"
        + (meta == null ? "" : ",\"_meta\":" + meta)
        + "}}";
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  @Test
  void aCallWithoutProgressGetsOneJsonResponseThroughTheSamePolicyPath() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST);
    String session = initialise(token);
    HttpResponse<String> response =
        post(
            BOTH,
            token,
            session,
            call(7, "SELECT id, full_name, email FROM app.customers WHERE id = 1", null));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).startsWith("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("jsonrpc").asString()).isEqualTo("2.0");
    assertThat(body.get("id").asInt()).isEqualTo(7);
    JsonNode result = body.get("result");
    assertThat(result.get("isError").asBoolean()).as(response.body()).isFalse();
    JsonNode structured = result.get("structuredContent");
    assertThat(structured.get("row_count").asInt()).isEqualTo(1);
    assertThat(structured.get("rows").get(0).get(2).asString()).isEqualTo("****");
    assertThat(structured.get("decision").get("rule_ids").get(0).asString()).isEqualTo("test-read");
    // The same audit record a streamed call leaves, once: the call ran once, on this session.
    UUID audit = UUID.fromString(structured.get("audit_id").asString());
    assertThat(fixture.audit().find(audit)).isPresent();
    synchronized (fixture.audit().statements) {
      assertThat(fixture.audit().statements)
          .filteredOn(e -> session.equals(e.event().connectionId()))
          .extracting(e -> e.id())
          .containsExactly(audit);
    }
  }

  @Test
  void aCallWithAProgressTokenKeepsTheEventStream() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST);
    String session = initialise(token);
    HttpResponse<String> response =
        post(
            BOTH,
            token,
            session,
            call(8, "SELECT id FROM app.customers WHERE id = 1", "{\"progressToken\":\"p-8\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).startsWith("text/event-stream");
    String data =
        response
            .body()
            .lines()
            .filter(l -> l.startsWith("data:"))
            .map(l -> l.substring(5).trim())
            .filter(l -> l.contains("\"result\""))
            .findFirst()
            .orElseThrow();
    JsonNode body = JSON.readTree(data);
    assertThat(body.get("id").asInt()).isEqualTo(8);
    assertThat(body.get("result").get("structuredContent").get("row_count").asInt()).isEqualTo(1);
  }

  @Test
  void listAndPingAreJsonAndErrorsStayJsonRpcErrors() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.CONTRACTOR);
    String session = initialise(token);

    HttpResponse<String> list =
        post(BOTH, token, session, "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"method\":\"tools/list\"}");
    assertThat(contentType(list)).startsWith("application/json");
    JsonNode tools = JSON.readTree(list.body()).get("result").get("tools");
    assertThat(tools.size()).isEqualTo(1);
    assertThat(tools.get(0).get("name").asString()).isEqualTo("describe");

    HttpResponse<String> ping =
        post(BOTH, token, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
    assertThat(contentType(ping)).startsWith("application/json");
    assertThat(JSON.readTree(ping.body()).get("result").isObject()).isTrue();

    // An unknown tool is a JSON-RPC error, in the one JSON response.
    HttpResponse<String> unknown =
        post(
            BOTH,
            token,
            session,
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"drop\"}}");
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(contentType(unknown)).startsWith("application/json");
    JsonNode error = JSON.readTree(unknown.body()).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(-32602);
    assertThat(JSON.readTree(unknown.body()).get("id").asInt()).isEqualTo(4);

    // A denial is a tool result with isError, as on the stream.
    HttpResponse<String> denied =
        post(BOTH, token, session, call(5, "SELECT id FROM app.customers", null));
    assertThat(contentType(denied)).startsWith("application/json");
    assertThat(JSON.readTree(denied.body()).get("result").get("isError").asBoolean()).isTrue();
  }

  @Test
  void theSessionChecksStillHold() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST);
    String session = initialise(token);
    String sql = "SELECT id FROM app.customers WHERE id = 1";

    // Another identity's token with this session id: 404, as for an unknown id.
    String other = TestIssuer.get().tokenFor(ReferencePrincipal.SUPPORT_LEAD);
    HttpResponse<String> stolen = post(BOTH, other, session, call(1, sql, null));
    assertThat(stolen.statusCode()).isEqualTo(404);

    // An id never issued: 404.
    assertThat(post(BOTH, token, "no-such-session", call(2, sql, null)).statusCode())
        .isEqualTo(404);

    // No session id: the SDK's 400, as before.
    assertThat(post(BOTH, token, null, call(3, sql, null)).statusCode()).isEqualTo(400);

    // An Accept without text/event-stream is refused by the SDK as before (400), one without
    // application/json too.
    assertThat(post("application/json", token, session, call(4, sql, null)).statusCode())
        .isEqualTo(400);
    assertThat(post("text/event-stream", token, session, call(5, sql, null)).statusCode())
        .isEqualTo(400);

    // The session still answers its owner.
    HttpResponse<String> ok = post(BOTH, token, session, call(6, sql, null));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(contentType(ok)).startsWith("application/json");
    assertThat(JSON.readTree(ok.body()).get("result").get("isError").asBoolean()).isFalse();
  }

  @Test
  void theMcpJavaSdkClientReadsJsonAnswers() {
    try (var client =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST))) {
      var result = McpClients.query(client, "SELECT id FROM app.customers WHERE id = 1");
      assertThat(result.isError()).as(McpClients.text(result)).isFalse();
      assertThat(McpClients.rows(result)).isEqualTo(List.of(List.of("1")));
    }
  }
}
