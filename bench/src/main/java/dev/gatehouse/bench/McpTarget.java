package dev.gatehouse.bench;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.function.Function;

/**
 * One server the MCP part calls, through one transport: its connected client, the tool and argument
 * that carry SQL, and the check that a result holds the expected row.
 *
 * @param name the row label in the report
 * @param transport {@code streamable HTTP} or {@code stdio}
 * @param governed whether the server applies identity, policy, masking and audit
 * @param check returns null when the result holds the row, else what is wrong
 */
record McpTarget(
    String name,
    String transport,
    boolean governed,
    McpSyncClient client,
    String tool,
    String sqlArgument,
    Function<McpSchema.CallToolResult, String> check) {

  /** Calls the target's SQL tool with {@code sql}. */
  McpSchema.CallToolResult query(String sql) {
    return client.callTool(new McpSchema.CallToolRequest(tool, Map.of(sqlArgument, sql)));
  }
}
