package dev.gatehouse.bench;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The one MCP client of the benchmark, the MCP Java SDK's synchronous client, over either
 * transport: streamable HTTP (optionally with a bearer token) or stdio to a child process.
 */
final class McpConnections {

  private McpConnections() {}

  /** Streamable HTTP to {@code http://127.0.0.1:<port><endpoint>}; {@code token} may be null. */
  static McpSyncClient http(int port, String endpoint, String token) {
    HttpClientStreamableHttpTransport.Builder builder =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint(endpoint);
    if (token != null) {
      builder.httpRequestCustomizer(
          (request, method, uri, body, context) ->
              request.header("Authorization", "Bearer " + token));
    }
    return initialize(builder.build());
  }

  /**
   * Starts {@code command args} as a child process speaking MCP on its stdin and stdout (the
   * transport ends it on close); its last stderr lines are kept in {@code stderr} for errors.
   */
  static McpSyncClient stdio(
      String command, List<String> args, Map<String, String> env, StderrTail stderr) {
    ServerParameters params = ServerParameters.builder(command).args(args).env(env).build();
    StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(stderr::add);
    return initialize(transport);
  }

  private static McpSyncClient initialize(McpClientTransport transport) {
    McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(30))
            .initializationTimeout(Duration.ofSeconds(120))
            .clientInfo(new McpSchema.Implementation("gatehouse-bench", "1"))
            .build();
    try {
      client.initialize();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** The last lines a child process wrote to stderr. */
  static final class StderrTail {
    private final Deque<String> lines = new ArrayDeque<>();

    synchronized void add(String line) {
      lines.addLast(line);
      if (lines.size() > 40) {
        lines.removeFirst();
      }
    }

    @Override
    public synchronized String toString() {
      return String.join("\n", lines);
    }
  }
}
