package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.ConnectionEvent;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An open event stream (the GET of MCP's streamable HTTP) does not keep its session alive: when the
 * session has been idle for {@code session-idle-timeout} (3 s of real time here), the sweeper ends
 * it and the stream reaches its end. (The stream's headers leave with its first event or its end,
 * so opening it blocks until then.)
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"test.mcp.session-idle-seconds=3", "test.mcp.mcp-sessions=20"})
class McpEventStreamExpiryIT {

  private static final String INIT =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
  private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;
  @Autowired Quotas quotas;

  private HttpRequest.Builder request(String token, String session) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .header("Authorization", "Bearer " + token);
    return session == null ? b : b.header("Mcp-Session-Id", session);
  }

  @Test
  void anOpenEventStreamEndsWhenItsSessionExpires() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.CONTRACTOR);
    HttpResponse<String> init =
        http.send(
            request(token, null)
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INIT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    long opened = System.nanoTime();
    CompletableFuture<Long> ended =
        http.sendAsync(
                request(token, session).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .thenApply(
                stream -> {
                  assertThat(stream.statusCode()).isEqualTo(200);
                  try (InputStream in = stream.body()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                  } catch (java.io.IOException e) {
                    return -1L;
                  }
                });
    // No request comes: the sweeper ends the session after its idle timeout, and with it the
    // stream, which reaches its end (not an error).
    assertThat(ended.get(30, TimeUnit.SECONDS)).isNotNegative();
    assertThat(Duration.ofNanos(System.nanoTime() - opened))
        .as("the stream stayed open until the session was idle for its timeout")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    // no request ran, so no connection record was opened or closed
    assertThat(closings(session)).isEmpty();
    HttpResponse<String> after =
        http.send(
            request(token, session)
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LIST))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(404);
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "contractor")).isZero();
  }

  private List<ConnectionEvent> closings(String session) {
    return fixture.audit().connections.stream()
        .filter(e -> !e.opened() && e.connectionId().equals(session))
        .toList();
  }
}
