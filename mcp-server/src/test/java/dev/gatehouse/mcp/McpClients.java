package dev.gatehouse.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** MCP Java SDK clients for tests. */
final class McpClients {

  private McpClients() {}

  static McpSyncClient http(int port, String token) {
    return http(port, token, p -> {});
  }

  static McpSyncClient http(
      int port, String token, Consumer<McpSchema.ProgressNotification> progress) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
            .endpoint("/mcp")
            .httpRequestCustomizer(
                (builder, method, uri, body, context) ->
                    builder.header("Authorization", "Bearer " + token))
            .build();
    McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(30))
            .clientInfo(new McpSchema.Implementation("gatehouse-tests", "1"))
            .progressConsumer(progress)
            .build();
    client.initialize();
    return client;
  }

  static McpSchema.CallToolResult query(McpSyncClient client, String sql) {
    return client.callTool(new McpSchema.CallToolRequest("query", Map.of("sql", sql)));
  }

  static McpSchema.CallToolResult call(
      McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> structured(McpSchema.CallToolResult result) {
    return (Map<String, Object>) result.structuredContent();
  }

  @SuppressWarnings("unchecked")
  static List<List<String>> rows(McpSchema.CallToolResult result) {
    return (List<List<String>>) structured(result).get("rows");
  }

  static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().getFirst()).text();
  }
}
