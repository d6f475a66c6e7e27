package dev.gatehouse.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Bare MCP streamable-HTTP calls with a bearer token, for session squatting. */
final class McpHttp implements AutoCloseable {

  static final String INIT =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"soak","version":"1"}}}""";
  static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI endpoint;

  McpHttp(int httpPort) {
    endpoint = URI.create("http://127.0.0.1:" + httpPort + "/mcp");
  }

  /** POSTs {@code body}; {@code session} may be null. The answer must end within 30 s. */
  HttpResponse<String> post(String token, String session, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json, text/event-stream")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Initialises a session as the token's identity; returns its id. */
  String initialise(String token) throws IOException, InterruptedException {
    HttpResponse<String> r = post(token, null, INIT);
    if (r.statusCode() != 200) {
      throw new IOException("initialize answered " + r.statusCode() + ": " + r.body());
    }
    return r.headers().firstValue("mcp-session-id").orElseThrow();
  }

  /** Ends {@code session} as the token's identity (HTTP DELETE); returns the status. */
  int end(String token, String session) throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Mcp-Session-Id", session)
            .DELETE()
            .build();
    return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Override
  public void close() {
    client.close();
  }
}
