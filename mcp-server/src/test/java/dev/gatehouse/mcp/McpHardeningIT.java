package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The MCP transport hardened, seen from a raw HTTP/1.1 client that reads every answer to its end:
 * sessions belong to the identity that initialised them, error bodies are fixed JSON-RPC errors,
 * and every answer ends (no socket left behind in CLOSE-WAIT).
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class McpHardeningIT {

  private static final String INIT =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
  private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

  @LocalServerPort int port;

  /** One answer, status line to end of body; the socket closes after it (Connection: close). */
  record Answer(int status, Map<String, String> headers, String body) {}

  private Answer exchange(String method, ReferencePrincipal who, String session, String body)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      // An answer that never ends fails the test here instead of hanging it.
      socket.setSoTimeout(10_000);
      StringBuilder request =
          new StringBuilder(method + " /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
      request.append("Accept: application/json, text/event-stream\r\n");
      request
          .append("Authorization: Bearer ")
          .append(TestIssuer.get().tokenFor(who))
          .append("\r\n");
      if (session != null) {
        request.append("Mcp-Session-Id: ").append(session).append("\r\n");
      }
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        request.append("Content-Type: application/json\r\n");
      }
      request.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all); // to end of stream: the server must end the answer
      return parse(all.toString(StandardCharsets.UTF_8));
    }
  }

  private static Answer parse(String raw) {
    int split = raw.indexOf("\r\n\r\n");
    String[] head = raw.substring(0, split).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.put(
          head[i].substring(0, colon).toLowerCase(Locale.ROOT),
          head[i].substring(colon + 1).strip());
    }
    return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, raw.substring(split + 4));
  }

  private String initialise(ReferencePrincipal who) throws IOException {
    Answer init = exchange("POST", who, null, INIT);
    assertThat(init.status()).isEqualTo(200);
    return init.headers().get("mcp-session-id");
  }

  private static void assertNoInternals(String body) {
    assertThat(body)
        .doesNotContainIgnoringCase("exception")
        .doesNotContain("stackTrace")
        .doesNotContain(".java")
        .doesNotContain("\tat ")
        .doesNotContain("io.modelcontextprotocol")
        .doesNotContain("org.springframework");
  }

  @Test
  void anotherIdentityPresentingTheSessionIdGets404AndCannotDisturbIt() throws IOException {
    String session = initialise(ReferencePrincipal.ANALYST);
    // The contractor presents the analyst's fresh id before the analyst's first call.
    Answer squat = exchange("POST", ReferencePrincipal.CONTRACTOR, session, LIST);
    assertThat(squat.status()).isEqualTo(404);
    assertThat(squat.body()).contains("\"code\":-32001").contains("session not found");
    assertNoInternals(squat.body());
    assertThat(exchange("DELETE", ReferencePrincipal.CONTRACTOR, session, null).status())
        .isEqualTo(404);
    assertThat(exchange("GET", ReferencePrincipal.CONTRACTOR, session, null).status())
        .isEqualTo(404);
    // The analyst's session is untouched: its calls still work.
    Answer mine = exchange("POST", ReferencePrincipal.ANALYST, session, LIST);
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.body()).contains("\"query\"");
    // An id nobody issued looks exactly like a foreign one.
    Answer unknown = exchange("POST", ReferencePrincipal.CONTRACTOR, "no-such-session", LIST);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo(squat.body());
    assertThat(exchange("DELETE", ReferencePrincipal.ANALYST, session, null).status())
        .isLessThan(300);
  }

  @Test
  void malformedJsonAndBatchesGetFixedJsonRpcErrors() throws IOException {
    String session = initialise(ReferencePrincipal.ANALYST);
    Answer truncated =
        exchange(
            "POST", ReferencePrincipal.ANALYST, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"meth");
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(truncated.body())
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error:"
                + " the body is not valid JSON\"}}");
    Answer batch =
        exchange("POST", ReferencePrincipal.ANALYST, session, "[" + LIST + "," + LIST + "]");
    assertThat(batch.status()).isEqualTo(400);
    assertThat(batch.body()).contains("\"code\":-32600").contains("batches are not supported");
    Answer notRpc = exchange("POST", ReferencePrincipal.ANALYST, session, "{\"hello\":1}");
    assertThat(notRpc.status()).isEqualTo(400);
    // The transport's own refusals (no session id on a call) come out fixed as well.
    Answer noSession = exchange("POST", ReferencePrincipal.ANALYST, null, LIST);
    assertThat(noSession.status()).isEqualTo(400);
    assertThat(noSession.body()).startsWith("{\"jsonrpc\":\"2.0\"").contains("\"code\":-32600");
    for (Answer a : List.of(truncated, batch, notRpc, noSession)) {
      assertNoInternals(a.body());
      assertThat(a.headers().get("content-type")).startsWith("application/json");
    }
  }

  @Test
  void unknownMethodsGetAnErrorThatEndsAndLeaveNoSocketBehind() throws Exception {
    String session = initialise(ReferencePrincipal.ANALYST);
    for (String method :
        List.of("resources/list", "prompts/list", "resources/templates/list", "no/such")) {
      for (int i = 0; i < 3; i++) {
        Answer a =
            exchange(
                "POST",
                ReferencePrincipal.ANALYST,
                session,
                "{\"jsonrpc\":\"2.0\",\"id\":\"m" + i + "\",\"method\":\"" + method + "\"}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("\"id\":\"m" + i + "\"").contains("\"code\":-32601");
        assertNoInternals(a.body());
      }
    }
    // A known method whose call is malformed: its error arrives on the call's stream, which ends.
    Answer badCall =
        exchange(
            "POST",
            ReferencePrincipal.ANALYST,
            session,
            "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}");
    assertThat(badCall.body()).contains("unknown tool");
    assertNoInternals(badCall.body());
    assertThat(closeWaitSockets(port)).isZero();
  }

  /** Sockets of the server's port in CLOSE-WAIT (the peer closed, the server never did). */
  private static long closeWaitSockets(int port) throws IOException {
    // The server closes its side right after the last byte; give it a moment to get there.
    Eventually.holdsWithin(Duration.ofSeconds(2), () -> countCloseWait(port) == 0);
    return countCloseWait(port);
  }

  private static long countCloseWait(int port) throws IOException {
    String hexPort = String.format(":%04X", port);
    Pattern line =
        Pattern.compile("^\\s*\\d+:\\s+\\S+" + Pattern.quote(hexPort) + "\\s+\\S+\\s+08\\s");
    long count = 0;
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(file);
      if (Files.exists(p)) {
        for (String l : Files.readAllLines(p)) {
          Matcher m = line.matcher(l);
          if (m.find()) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
