package dev.gatehouse.mcp.transport;

import dev.gatehouse.mcp.config.McpServerConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.spec.DefaultMcpStreamableServerSessionFactory;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * transport carries JSON-RPC and Gatehouse's handlers answer it. With sessions, a request that asks
 * for no progress is answered with one JSON response instead of an event stream ({@link
 * JsonAnswers}).
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
  public static Endpoint endpoint(McpFrontEnd mcp, McpJsonMapper json, Clock clock) {
    return endpoint(mcp, json, clock, McpSessions.of(mcp.config(), clock));
  }

  /**
   * Builds the MCP endpoint for {@code mcp}; {@code sessions} (shared with the HTTP filter, which
   * binds each session at birth and answers 404 for ids not live) ends sessions as their leases
   * say, and here each ended session is recorded, its state dropped and its streams closed.
   */
  public static Endpoint endpoint(
      McpFrontEnd mcp, McpJsonMapper json, Clock clock, McpSessions sessions) {
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
            // Only a backstop that drops the SDK's own record of sessions ended by `sessions`
            // (their ids never reach it again); it counts idleness from a request's start, not its
            // end, so it runs well behind the real timeout.
            .sessionIdleTimeout(backstop(mcp.config()))
            .build();
    SessionBinding binding = new SessionBinding(mcp.gate(), mcp.config().database(), clock);
    // The SDK's sessions by id, for requests answered with one JSON response (JsonAnswers).
    Map<String, McpStreamableServerSession> live = new ConcurrentHashMap<>();
    sessions.listener(
        (id, why) -> {
          live.remove(id);
          binding.closed(id, why);
          mcp.sessionEnded(id);
        });
    // Tool calls run on the request's servlet thread: the SDK blocks it for the response anyway.
    SessionHandlers handlers =
        new SessionHandlers(mcp.protocol(), json, binding::principal, null, clock);
    McpStreamableServerSession.Factory factory =
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
                      live.remove(sessionId);
                      sessions.transportClosed(sessionId);
                    }));
    provider.setSessionFactory(
        init -> {
          McpStreamableServerSession.McpStreamableServerSessionInit started =
              factory.startSession(init);
          McpStreamableServerSession session = started.session();
          live.put(session.getId(), session);
          // Ending a session here closes the SDK's session too: its open streams end.
          sessions.attach(
              session.getId(), () -> session.closeGracefully().onErrorComplete().subscribe());
          return started;
        });
    sessions.start();
    JsonAnswers answers = new JsonAnswers(provider.getRouterFunction(), live::get, json, extractor);
    return new Endpoint(
        JsonAnswers.routes(mcp.config().endpoint(), answers),
        () -> Mono.fromRunnable(sessions::close).then(provider.closeGracefully()));
  }

  /** The SDK's own idle eviction: twice the real bounds, and never under a minute. */
  static Duration backstop(McpServerConfig config) {
    Duration idle = config.sessionIdleTimeout().multipliedBy(2);
    return idle.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : idle;
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
