package dev.gatehouse.mcp.transport;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Answers a request on a session with one {@code application/json} response instead of an event
 * stream, when nothing but the response will be sent: the HTTP filter marks such a POST ({@code
 * ping}, {@code tools/list} or {@code tools/call} without a {@code progressToken}, see {@link
 * TransportKeys#SINGLE_ANSWER}). MCP 2025-11-25 lets the server pick either for a request (basic,
 * transports, streamable HTTP, "Sending Messages to the Server", 5).
 *
 * <p>The SDK's transport still sees the request first and answers it whenever it would not open a
 * stream (shutting down, a bad {@code Accept}, an unknown session, a malformed message): those
 * answers go out as they are, and its record of the session's last use is kept up to date. Only the
 * stream it would open is left unused; the request then goes through the same SDK session and the
 * same handlers ({@link SessionHandlers}), so the principal, the session binding, quotas, taint and
 * audit are exactly those of a streamed call, and the response (result or JSON-RPC error) is the
 * one that stream would have carried.
 */
final class JsonAnswers implements HandlerFunction<ServerResponse> {

  private static final Logger log = LoggerFactory.getLogger(JsonAnswers.class);

  private final RouterFunction<ServerResponse> sdk;
  private final Function<String, McpStreamableServerSession> sessions;
  private final McpJsonMapper json;
  private final McpTransportContextExtractor<ServerRequest> contexts;

  /**
   * @param sdk the SDK transport's own routes
   * @param sessions the SDK's live session of an id, or null
   */
  JsonAnswers(
      RouterFunction<ServerResponse> sdk,
      Function<String, McpStreamableServerSession> sessions,
      McpJsonMapper json,
      McpTransportContextExtractor<ServerRequest> contexts) {
    this.sdk = sdk;
    this.sessions = sessions;
    this.json = json;
    this.contexts = contexts;
  }

  /** The endpoint's routes: a marked POST is answered here, everything else by the SDK. */
  static RouterFunction<ServerResponse> routes(String endpoint, JsonAnswers answers) {
    return org.springframework.web.servlet.function.RouterFunctions.route()
        .POST(
            endpoint,
            request -> Boolean.TRUE.equals(request.attributes().get(TransportKeys.SINGLE_ANSWER)),
            answers)
        .build()
        .and(answers.sdk);
  }

  @Override
  public ServerResponse handle(ServerRequest request) throws Exception {
    // Read before the SDK reads it (the filter's copy of the body can be read again).
    byte[] body = request.servletRequest().getInputStream().readAllBytes();
    ServerResponse streamed = sdk.route(request).orElseThrow().handle(request);
    // 200 from the SDK for a request on a session is the event stream it would open (not yet
    // started: it starts when written); anything else is its answer as it stands.
    if (streamed.statusCode().value() != 200
        || !request.headers().accept().contains(MediaType.APPLICATION_JSON)) {
      return streamed;
    }
    String id = request.headers().firstHeader(HttpHeaders.MCP_SESSION_ID);
    McpStreamableServerSession session = id == null ? null : sessions.apply(id);
    if (session == null
        || !(McpSchema.deserializeJsonRpcMessage(json, new String(body, StandardCharsets.UTF_8))
            instanceof McpSchema.JSONRPCRequest call)) {
      return streamed;
    }
    request.attributes().put(TransportKeys.JSON_ANSWER, Boolean.TRUE);
    McpTransportContext context = contexts.extract(request);
    OneResponse reply = new OneResponse(json);
    try {
      session
          .responseStream(call, reply)
          .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
          .block();
    } catch (RuntimeException e) {
      log.error("MCP request {} on session {} failed: {}", call.method(), id, e.toString());
    }
    McpSchema.JSONRPCResponse response =
        reply.response != null
            ? reply.response
            : McpSchema.JSONRPCResponse.error(
                call.id(),
                new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INTERNAL_ERROR, "internal error", null));
    byte[] bytes = json.writeValueAsBytes(response);
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .build((servletRequest, servletResponse) -> write(servletResponse, bytes));
  }

  /**
   * Writes the body; the response may already be committed (200, {@code application/json}) by the
   * whitespace that keeps a long wait checked for a gone caller ({@code auth/CallerProbe}). No
   * {@code Content-Length}: with one, the container ends the response as its last byte is written,
   * before the HTTP filter has closed the request's use of the session, and a client could act on
   * the answer (a test moving the clock past the idle timeout) while the session still counts the
   * request as running. Without it the response ends with the request, as a streamed one does.
   */
  private static org.springframework.web.servlet.ModelAndView write(
      HttpServletResponse response, byte[] bytes) throws IOException {
    if (!response.isCommitted()) {
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    }
    response.getOutputStream().write(bytes);
    return null;
  }

  /** The call's stream as the SDK session sees it: it keeps the one response. */
  private static final class OneResponse implements McpStreamableServerTransport {
    private final McpJsonMapper json;
    private volatile McpSchema.JSONRPCResponse response;

    OneResponse(McpJsonMapper json) {
      this.json = json;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
      return sendMessage(message);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
      return Mono.fromRunnable(
          () -> {
            if (message instanceof McpSchema.JSONRPCResponse r && response == null) {
              response = r;
            } else {
              // Only a call with a progressToken is sent anything else, and it is streamed.
              log.warn("an MCP message for a JSON answer was dropped: {}", message.getClass());
            }
          });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
      return json.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.empty();
    }
  }
}
