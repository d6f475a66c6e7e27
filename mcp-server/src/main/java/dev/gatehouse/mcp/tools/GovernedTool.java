package dev.gatehouse.mcp.tools;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** An MCP tool whose every call passes the gate. */
public interface GovernedTool {

  /** The tool as {@code tools/list} shows it. */
  McpSchema.Tool definition();

  /** Whether {@code tools/list} shows this tool to the caller. */
  boolean visibleTo(CallContext caller);

  /**
   * Runs a call. Refusals and failures of the tool's work are results with {@code isError};
   * arguments it cannot use throw {@link InvalidArgumentsException} (the protocol turns that into
   * an {@code isError} result).
   */
  McpSchema.CallToolResult call(CallContext caller, Map<String, Object> arguments);
}
