package dev.gatehouse.mcp.transport;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds an MCP session to the identity that first used it: every request is authenticated on its
 * own, and a session id presented with another identity's token is refused, so a leaked session id
 * is worth nothing. Opening and closing sessions are audited, the closing with why it ended.
 */
final class SessionBinding {

  private record Bound(Principal principal, String clientAddress) {}

  private final Gate gate;
  private final String database;
  private final Clock clock;
  private final Map<String, Bound> sessions = new ConcurrentHashMap<>();

  SessionBinding(Gate gate, String database, Clock clock) {
    this.gate = gate;
    this.database = database;
    this.clock = clock;
  }

  Principal principal(McpAsyncServerExchange exchange) {
    Principal principal = SessionHandlers.fromTransport(exchange);
    String address = (String) exchange.transportContext().get(TransportKeys.CLIENT_ADDRESS);
    Bound bound = new Bound(principal, address);
    Bound existing = sessions.putIfAbsent(exchange.sessionId(), bound);
    if (existing == null) {
      gate.connection(exchange.sessionId(), principal, context(bound), true);
    } else if (!existing.principal().sameIdentity(principal)) {
      throw McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST)
          .message("this MCP session belongs to another identity; start a new session")
          .build();
    }
    return principal;
  }

  void closed(String sessionId, McpSessions.Ending why) {
    Bound bound = sessions.remove(sessionId);
    if (bound != null) {
      gate.connectionEnded(sessionId, bound.principal(), context(bound), why.word());
    }
  }

  private RequestContext context(Bound bound) {
    return new RequestContext(Channel.MCP, database, null, bound.clientAddress(), clock.instant());
  }
}
