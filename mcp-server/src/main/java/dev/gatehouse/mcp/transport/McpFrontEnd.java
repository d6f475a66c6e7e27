package dev.gatehouse.mcp.transport;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.mcp.config.McpServerConfig;

/**
 * The assembled MCP front end as the HTTP transports see it. The module's facade implements it, so
 * the transports serve the facade without depending on it (the facade depends on them).
 */
public interface McpFrontEnd {

  Gate gate();

  McpServerConfig config();

  McpProtocol protocol();

  /** The MCP session {@code sessionId} ended: what the front end held for it is dropped. */
  void sessionEnded(String sessionId);
}
