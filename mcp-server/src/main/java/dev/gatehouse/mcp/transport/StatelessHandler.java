package dev.gatehouse.mcp.transport;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.tools.CallContext;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Answers stateless streamable HTTP: each request stands alone (no session, no server-to-client
 * stream), so there are no progress notifications and an approval is resumed by its id.
 */
final class StatelessHandler implements McpStatelessServerHandler {

  private static final List<String> VERSIONS =
      List.of(
          ProtocolVersions.MCP_2025_03_26,
          ProtocolVersions.MCP_2025_06_18,
          ProtocolVersions.MCP_2025_11_25);

  private final McpProtocol protocol;
  private final McpJsonMapper json;
  private final Clock clock;

  StatelessHandler(McpProtocol protocol, McpJsonMapper json, Clock clock) {
    this.protocol = protocol;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Mono<McpSchema.JSONRPCResponse> handleRequest(
      McpTransportContext transport, McpSchema.JSONRPCRequest request) {
    return Mono.fromCallable(() -> answer(transport, request))
        .map(result -> McpSchema.JSONRPCResponse.result(request.id(), result))
        .onErrorResume(
            McpError.class,
            e -> Mono.just(McpSchema.JSONRPCResponse.error(request.id(), e.getJsonRpcError())));
  }

  private Object answer(McpTransportContext transport, McpSchema.JSONRPCRequest request) {
    return switch (request.method()) {
      case McpSchema.METHOD_INITIALIZE ->
          protocol.initialize(
              json.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {}),
              VERSIONS);
      case McpSchema.METHOD_PING -> Map.of();
      case McpSchema.METHOD_TOOLS_LIST -> protocol.listTools(context(transport));
      case McpSchema.METHOD_TOOLS_CALL ->
          protocol.callTool(
              context(transport),
              json.convertValue(request.params(), new TypeRef<McpSchema.CallToolRequest>() {}));
      default ->
          throw McpError.builder(McpSchema.ErrorCodes.METHOD_NOT_FOUND)
              .message("method `" + request.method() + "` is not supported")
              .build();
    };
  }

  private CallContext context(McpTransportContext transport) {
    if (!(transport.get(TransportKeys.PRINCIPAL) instanceof Principal principal)) {
      throw McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST)
          .message("the request carries no verified identity")
          .build();
    }
    RequestContext request =
        new RequestContext(
            Channel.MCP,
            protocol.config().database(),
            (String) transport.get(TransportKeys.USER_AGENT),
            (String) transport.get(TransportKeys.CLIENT_ADDRESS),
            clock.instant());
    return new CallContext(principal, request, "stateless", CallContext.ProgressSink.NONE);
  }

  @Override
  public Mono<Void> handleNotification(
      McpTransportContext transport, McpSchema.JSONRPCNotification notification) {
    return Mono.empty();
  }
}
