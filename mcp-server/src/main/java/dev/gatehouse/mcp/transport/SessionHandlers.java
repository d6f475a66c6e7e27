package dev.gatehouse.mcp.transport;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.tools.CallContext;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpNotificationHandler;
import io.modelcontextprotocol.server.McpRequestHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Request handlers for transports with sessions (streamable HTTP, stdio): the SDK's session classes
 * carry the JSON-RPC, these answer it. Progress goes back on the call's own stream.
 */
public final class SessionHandlers {

  private static final Duration PROGRESS_SEND_TIMEOUT = Duration.ofSeconds(5);

  private final McpProtocol protocol;
  private final McpJsonMapper json;
  private final Function<McpAsyncServerExchange, Principal> principals;
  private final Scheduler scheduler;
  private final Clock clock;

  /**
   * @param principals who the caller of an exchange is (from the request's token, or the stdio
   *     process's token); throws {@link McpError} when unknown
   * @param scheduler where blocking tool work runs, or null to run on the calling thread
   */
  public SessionHandlers(
      McpProtocol protocol,
      McpJsonMapper json,
      Function<McpAsyncServerExchange, Principal> principals,
      Scheduler scheduler,
      Clock clock) {
    this.protocol = protocol;
    this.json = json;
    this.principals = principals;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  public Map<String, McpRequestHandler<?>> requestHandlers() {
    Map<String, McpRequestHandler<?>> handlers = new HashMap<>();
    handlers.put(McpSchema.METHOD_PING, (exchange, params) -> Mono.just(Map.of()));
    handlers.put(
        McpSchema.METHOD_TOOLS_LIST,
        (exchange, params) -> blocking(() -> protocol.listTools(context(exchange, null))));
    handlers.put(
        McpSchema.METHOD_TOOLS_CALL,
        (exchange, params) ->
            blocking(
                () -> {
                  McpSchema.CallToolRequest request =
                      json.convertValue(params, new TypeRef<McpSchema.CallToolRequest>() {});
                  Object token =
                      request.meta() == null ? null : request.meta().get("progressToken");
                  return protocol.callTool(context(exchange, token), request);
                }));
    return handlers;
  }

  public Map<String, McpNotificationHandler> notificationHandlers() {
    Map<String, McpNotificationHandler> handlers = new HashMap<>();
    handlers.put(McpSchema.METHOD_NOTIFICATION_INITIALIZED, (exchange, params) -> Mono.empty());
    return handlers;
  }

  private <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
    Mono<T> mono = Mono.fromCallable(work);
    return scheduler == null ? mono : mono.subscribeOn(scheduler);
  }

  private CallContext context(McpAsyncServerExchange exchange, Object progressToken) {
    Principal principal = principals.apply(exchange);
    McpTransportContext transport = exchange.transportContext();
    String client =
        exchange.getClientInfo() != null
            ? exchange.getClientInfo().name()
            : (String) transport.get(TransportKeys.USER_AGENT);
    RequestContext request =
        new RequestContext(
            Channel.MCP,
            protocol.config().database(),
            client,
            (String) transport.get(TransportKeys.CLIENT_ADDRESS),
            clock.instant());
    BooleanSupplier probe = (BooleanSupplier) transport.get(TransportKeys.CALLER_PROBE);
    if (probe != null) {
      // Arms the probe while the caller is surely there, so a later disconnect is noticed.
      probe.getAsBoolean();
    }
    CallContext.ProgressSink progress = progress(exchange, progressToken, probe);
    return new CallContext(principal, request, exchange.sessionId(), progress);
  }

  /**
   * Sends progress when the caller asked for it (a {@code progressToken}) and, either way, asks the
   * transport whether the caller is still there: the SDK's transports swallow send failures, so the
   * probe is what tells a live caller from a gone one.
   */
  private static CallContext.ProgressSink progress(
      McpAsyncServerExchange exchange, Object token, BooleanSupplier probe) {
    if (token == null && probe == null) {
      return CallContext.ProgressSink.NONE;
    }
    return (value, message) -> {
      if (token != null) {
        try {
          exchange
              .progressNotification(new McpSchema.ProgressNotification(token, value, null, message))
              .block(PROGRESS_SEND_TIMEOUT);
        } catch (RuntimeException e) {
          return false;
        }
      }
      return probe == null || probe.getAsBoolean();
    };
  }

  /** The principal an HTTP request's filter verified, or an error if there is none. */
  public static Principal fromTransport(McpAsyncServerExchange exchange) {
    Object p = exchange.transportContext().get(TransportKeys.PRINCIPAL);
    if (p instanceof Principal principal) {
      return principal;
    }
    throw McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST)
        .message("the request carries no verified identity")
        .build();
  }
}
