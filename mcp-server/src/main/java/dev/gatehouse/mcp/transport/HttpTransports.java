package dev.gatehouse.mcp.transport;

import dev.gatehouse.mcp.GatehouseMcp;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.spec.DefaultMcpStreamableServerSessionFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStatelessServerTransport;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Streamable HTTP on Spring MVC, with sessions (progress notifications, session bound to its
 * identity) or stateless (any instance answers any request). Either way the SDK's Spring AI
 * transport carries JSON-RPC and Gatehouse's handlers answer it.
 */
public final class HttpTransports {

  private static final Duration CLIENT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private HttpTransports() {}

  /**
   * The MCP endpoint: its router, and how to close its sessions (their open streams would otherwise
   * hold a graceful shutdown until it times out).
   */
  public record Endpoint(RouterFunction<ServerResponse> router, Supplier<Mono<Void>> closer) {}

  /** Builds the MCP endpoint for {@code mcp}. */
  public static Endpoint endpoint(GatehouseMcp mcp, McpJsonMapper json, Clock clock) {
    return endpoint(mcp, json, clock, new SessionOwners());
  }

  /**
   * Builds the MCP endpoint for {@code mcp}; {@code owners} (shared with the HTTP filter, which
   * binds each session at birth) forgets a session when it closes.
   */
  public static Endpoint endpoint(
      GatehouseMcp mcp, McpJsonMapper json, Clock clock, SessionOwners owners) {
    McpTransportContextExtractor<ServerRequest> extractor = HttpTransports::context;
    if (mcp.config().stateless()) {
      WebMvcStatelessServerTransport transport =
          WebMvcStatelessServerTransport.builder()
              .jsonMapper(json)
              .messageEndpoint(mcp.config().endpoint())
              .contextExtractor(extractor)
              .build();
      transport.setMcpHandler(new StatelessHandler(mcp.protocol(), json, clock));
      return new Endpoint(transport.getRouterFunction(), transport::closeGracefully);
    }
    WebMvcStreamableServerTransportProvider provider =
        WebMvcStreamableServerTransportProvider.builder()
            .jsonMapper(json)
            .mcpEndpoint(mcp.config().endpoint())
            .contextExtractor(extractor)
            .build();
    SessionBinding binding = new SessionBinding(mcp.gate(), mcp.config().database(), clock);
    // Tool calls run on the request's servlet thread: the SDK blocks it for the response anyway.
    SessionHandlers handlers =
        new SessionHandlers(mcp.protocol(), json, binding::principal, null, clock);
    provider.setSessionFactory(
        new DefaultMcpStreamableServerSessionFactory(
            CLIENT_REQUEST_TIMEOUT,
            init ->
                Mono.fromCallable(
                    () -> mcp.protocol().initialize(init, provider.protocolVersions())),
            handlers.requestHandlers(),
            handlers.notificationHandlers(),
            sessionId ->
                Mono.fromRunnable(
                    () -> {
                      owners.release(sessionId);
                      binding.closed(sessionId);
                    })));
    return new Endpoint(provider.getRouterFunction(), provider::closeGracefully);
  }

  private static McpTransportContext context(ServerRequest request) {
    Map<String, Object> values = new HashMap<>();
    for (String key :
        new String[] {
          TransportKeys.PRINCIPAL,
          TransportKeys.CLIENT_ADDRESS,
          TransportKeys.USER_AGENT,
          TransportKeys.CALLER_PROBE
        }) {
      request.attribute(key).ifPresent(v -> values.put(key, v));
    }
    return McpTransportContext.create(values);
  }
}
