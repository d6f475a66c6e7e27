package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import dev.gatehouse.engine.audit.ConnectionEvent;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.OffsetClock;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * MCP sessions expire: after {@code session-idle-timeout} (60 s here, on a clock the test moves)
 * with no request, or when the owner's token expires, a session ends: its id gets 404 (MCP
 * 2025-11-25, transports, session management: the server may terminate a session and then answers
 * its id with 404; the client starts a new session), its place in the principal's quota is free and
 * its audit record says why it ended. A session in use does not expire. (An open event stream
 * ending with its session: {@link McpEventStreamExpiryIT}.)
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "test.mcp.clock=offset",
      "test.mcp.session-idle-seconds=60",
      "test.mcp.mcp-sessions=20"
    })
class McpSessionExpiryIT {

  private static final Duration IDLE = Duration.ofSeconds(60);
  private static final String INIT =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
  private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired OffsetClock clock;
  @Autowired TestGates.Fixture fixture;
  @Autowired Quotas quotas;

  private HttpResponse<String> send(String method, String token, String session, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String initialise(String token) throws IOException, InterruptedException {
    HttpResponse<String> init = send("POST", token, null, INIT);
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    return init.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  private List<ConnectionEvent> closings(String session) {
    return fixture.audit().connections.stream()
        .filter(e -> !e.opened() && e.connectionId().equals(session))
        .toList();
  }

  @Test
  void anIdleSessionExpiresItsIdGets404AndItsQuotaPlaceIsFree() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST);
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sessions.add(initialise(token));
    }
    String used = sessions.getFirst();
    assertThat(send("POST", token, used, LIST).statusCode()).isEqualTo(200);
    // The 21st is refused while the 20 are live.
    HttpResponse<String> refused = send("POST", token, null, INIT);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("(quotas.mcpSessionsPerPrincipal)");
    assertThat(refused.headers().firstValue("Mcp-Session-Id")).isEmpty();

    clock.advance(IDLE.plusSeconds(1));

    HttpResponse<String> expired = send("POST", token, used, LIST);
    assertThat(expired.statusCode()).isEqualTo(404);
    assertThat(expired.body()).contains("\"code\":-32001").contains("session not found");
    assertThat(send("GET", token, used, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", token, used, null).statusCode()).isEqualTo(404);
    // The expired sessions gave their places back: a 21st session now begins.
    String fresh = initialise(token);
    assertThat(send("POST", token, fresh, LIST).statusCode()).isEqualTo(200);
    Eventually.await(
        "every expired session to give its place back",
        Duration.ofSeconds(20),
        () -> quotas.inUse(Quota.MCP_SESSIONS, "analyst") == 1);
    // The used session's record says it ended idle (the others never ran a request, so they have
    // no connection record to close).
    assertThat(closings(used)).singleElement().extracting(ConnectionEvent::ended).isEqualTo("idle");
    assertThat(send("DELETE", token, fresh, null).statusCode()).isLessThan(300);
    assertThat(closings(fresh))
        .singleElement()
        .extracting(ConnectionEvent::ended)
        .isEqualTo("client");
  }

  @Test
  void aSessionInUseDoesNotExpire() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.SUPPORT_LEAD);
    String session = initialise(token);
    // Four requests 40 s apart: 160 s in all, each within the 60 s idle timeout of the last.
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(40));
      HttpResponse<String> list = send("POST", token, session, LIST);
      assertThat(list.statusCode()).as("request %d: %s", i, list.body()).isEqualTo(200);
    }
    assertThat(closings(session)).isEmpty();
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "support-lead")).isEqualTo(1);
    clock.advance(IDLE.plusSeconds(1));
    // Nobody calls now: the sweeper ends it by itself.
    Eventually.await(
        "the idle session to end", Duration.ofSeconds(20), () -> !closings(session).isEmpty());
    assertThat(closings(session).getFirst().ended()).isEqualTo("idle");
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "support-lead")).isZero();
  }

  @Test
  void aSessionEndsWhenItsOwnersTokenExpires() throws Exception {
    // A token that expires 20 s from now on the server's clock, well inside the idle timeout.
    Duration ahead = Duration.between(Instant.now(), clock.instant());
    String token =
        TestIssuer.get().personToken(ReferencePrincipal.DBA, ahead.plus(Duration.ofSeconds(20)));
    String session = initialise(token);
    assertThat(send("POST", token, session, LIST).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(22));
    String fresh = TestIssuer.get().tokenFor(ReferencePrincipal.DBA);
    assertThat(send("POST", fresh, session, LIST).statusCode()).isEqualTo(404);
    assertThat(closings(session))
        .singleElement()
        .extracting(ConnectionEvent::ended)
        .isEqualTo("token-expired");
  }

  @Test
  void theMcpJavaSdkClientStartsANewSessionAfter404() throws Exception {
    try (McpSyncClient client =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY))) {
      assertThat(client.listTools().tools()).isNotEmpty();
      Set<String> before = opened("etl-nightly");
      assertThat(before).hasSize(1);
      clock.advance(IDLE.plusSeconds(1));
      // The SDK gets 404 for its session and drops it: the call that got the 404 fails (the spec
      // leaves retrying it to the client), and the next call initialises a new session and runs.
      RuntimeException first = catchRuntimeException(client::listTools);
      assertThat(first).hasMessageContaining("MCP session with server terminated");
      assertThat(client.listTools().tools()).isNotEmpty();
      String old = before.iterator().next();
      assertThat(closings(old))
          .singleElement()
          .extracting(ConnectionEvent::ended)
          .isEqualTo("idle");
      assertThat(opened("etl-nightly")).hasSize(2).contains(old);
      assertThat(quotas.inUse(Quota.MCP_SESSIONS, "etl-nightly")).isEqualTo(1);
    }
  }

  private Set<String> opened(String subject) {
    return fixture.audit().connections.stream()
        .filter(e -> e.opened() && e.principal().subject().equals(subject))
        .map(ConnectionEvent::connectionId)
        .collect(Collectors.toSet());
  }
}
