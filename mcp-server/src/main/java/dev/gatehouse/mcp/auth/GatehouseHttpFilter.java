package dev.gatehouse.mcp.auth;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.quota.QuotaExceeded;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.transport.McpSessions;
import dev.gatehouse.mcp.transport.TransportKeys;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OAuth 2.1 resource server in front of the MCP endpoint (MCP authorization, 2025-06-18):
 * serves the Protected Resource Metadata (RFC 9728) and admits a request to the endpoint only with
 * a bearer token the gate verifies (issuer, signature, audience, expiry). Anything else gets 401
 * with a {@code WWW-Authenticate} challenge that points at the metadata. The token stops here: only
 * the verified principal travels on, and nothing upstream ever sees the token.
 */
public final class GatehouseHttpFilter implements Filter {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The largest JSON-RPC message accepted (an SQL text is bounded at 1 MiB by the engine). */
  static final int MAX_BODY = 4 << 20;

  private final Gate gate;
  private final McpServerConfig config;
  private final ResourceUrls urls;
  private final Clock clock;
  private final McpSessions sessions;
  private final Quotas quotas;

  public GatehouseHttpFilter(Gate gate, McpServerConfig config, Clock clock) {
    this(gate, config, clock, McpSessions.of(config, clock));
  }

  public GatehouseHttpFilter(Gate gate, McpServerConfig config, Clock clock, McpSessions sessions) {
    this(gate, config, clock, sessions, Quotas.unlimited());
  }

  /**
   * @param sessions the live MCP sessions (owner, quota place, lease), shared with the transport
   * @param quotas bounds the MCP sessions each principal holds open
   */
  public GatehouseHttpFilter(
      Gate gate, McpServerConfig config, Clock clock, McpSessions sessions, Quotas quotas) {
    this.gate = gate;
    this.quotas = quotas;
    this.config = config;
    this.urls = new ResourceUrls(config);
    this.clock = clock;
    this.sessions = sessions;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.equals(ResourceUrls.WELL_KNOWN) || path.startsWith(ResourceUrls.WELL_KNOWN + "/")) {
      metadata(request, response);
      return;
    }
    if (!(path.equals(config.endpoint()) || path.startsWith(config.endpoint() + "/"))
        || "OPTIONS".equals(request.getMethod())) {
      chain.doFilter(req, res);
      return;
    }
    RequestContext context =
        new RequestContext(
            Channel.MCP,
            config.database(),
            request.getHeader("User-Agent"),
            request.getRemoteAddr(),
            clock.instant());
    String token = bearerToken(request);
    if (token == null) {
      gate.authenticationRefused(
          context, AuthenticationException.Reason.MISSING_TOKEN + ": no bearer token");
      challenge(request, response, null, "a bearer token is required");
      return;
    }
    Principal principal;
    try {
      principal = gate.authenticate(token, context);
    } catch (AuthenticationException e) {
      challenge(request, response, "invalid_token", describe(e.reason()));
      return;
    }
    // An id that is not a live session of this identity (another identity's, ended, or never
    // issued) is answered as unknown, 404, and the session, if any, is not disturbed; a live one
    // stays live while this request runs. (Stateless, no session is ever issued.)
    String session = request.getHeader(FixedErrorResponse.SESSION_HEADER);
    McpSessions.Use use = null;
    if (session != null && !config.stateless()) {
      use = sessions.enter(session, principal);
      if (use == null) {
        write(response, 404, JsonRpcBodies.forStatus(404));
        return;
      }
    }
    try (McpSessions.Use inUse = use) {
      RequestScreen.Outcome screened = RequestScreen.screen(request, MAX_BODY);
      if (screened.request() == null) {
        write(response, screened.status(), screened.body());
        return;
      }
      request = screened.request();
      if (screened.single() && inUse != null) {
        // Nothing but its response will be sent: it may get one JSON response, no event stream.
        request.setAttribute(TransportKeys.SINGLE_ANSWER, Boolean.TRUE);
      }
      boolean delete = inUse != null && "DELETE".equals(request.getMethod());
      if (delete) {
        inUse.deleting();
      }
      serve(request, response, chain, principal, session);
      if (delete && response.getStatus() < 400) {
        sessions.end(session, McpSessions.Ending.CLIENT);
      }
    }
  }

  private void serve(
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain,
      Principal principal,
      String session)
      throws IOException, ServletException {
    // A request without a session may open one (initialize): it takes a place in the principal's
    // quota first, kept by the session it opens and given back otherwise.
    Quotas.Permit place = Quotas.Permit.NONE;
    if (session == null && "POST".equals(request.getMethod())) {
      try {
        place = sessionPlace(principal);
      } catch (QuotaExceeded e) {
        write(response, 429, JsonRpcBodies.error(null, JsonRpcBodies.QUOTA, e.getMessage()));
        return;
      }
    }
    Quotas.Permit opening = place;
    java.util.concurrent.atomic.AtomicBoolean kept =
        new java.util.concurrent.atomic.AtomicBoolean();
    FixedErrorResponse fixed =
        new FixedErrorResponse(
            response,
            issued -> {
              if (kept.compareAndSet(false, true)) {
                sessions.bind(issued, principal, opening);
              }
            });
    request.setAttribute(TransportKeys.PRINCIPAL, principal);
    request.setAttribute(TransportKeys.CALLER_PROBE, new CallerProbe(request, fixed));
    request.setAttribute(TransportKeys.CLIENT_ADDRESS, request.getRemoteAddr());
    if (request.getHeader("User-Agent") != null) {
      request.setAttribute(TransportKeys.USER_AGENT, request.getHeader("User-Agent"));
    }
    try {
      chain.doFilter(request, fixed);
      fixed.finish();
    } finally {
      if (!kept.get()) {
        opening.close();
      }
    }
  }

  /**
   * A place in the principal's MCP session quota; when it is full, sessions that are due end first
   * (an expired session holds no place, swept yet or not).
   */
  private Quotas.Permit sessionPlace(Principal principal) {
    try {
      return quotas.mcpSession(principal);
    } catch (QuotaExceeded e) {
      sessions.sweep();
      return quotas.mcpSession(principal);
    }
  }

  private static void write(HttpServletResponse response, int status, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private void metadata(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      response.setHeader("Allow", "GET, HEAD");
      return;
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("resource", urls.resource(request).toString());
    doc.put(
        "authorization_servers",
        config.authorizationServers().stream().map(Object::toString).toList());
    doc.put("bearer_methods_supported", java.util.List.of("header"));
    if (!config.scopes().isEmpty()) {
      doc.put("scopes_supported", config.scopes());
    }
    doc.put("resource_name", "Gatehouse MCP server for " + config.database());
    byte[] body = JSON.writeValueAsBytes(doc);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "max-age=300");
    response.setContentLength(body.length);
    if ("GET".equals(request.getMethod())) {
      response.getOutputStream().write(body);
    }
  }

  private void challenge(
      HttpServletRequest request, HttpServletResponse response, String error, String description)
      throws IOException {
    StringBuilder header =
        new StringBuilder("Bearer resource_metadata=\"").append(urls.metadata(request)).append('"');
    if (!config.scopes().isEmpty()) {
      header.append(", scope=\"").append(String.join(" ", config.scopes())).append('"');
    }
    if (error != null) {
      header
          .append(", error=\"")
          .append(error)
          .append("\", error_description=\"")
          .append(description)
          .append('"');
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error == null ? "unauthorized" : error);
    body.put("error_description", description);
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", header.toString());
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** The token of an {@code Authorization: Bearer} header; never from the query string. */
  static String bearerToken(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || header.length() < 7) {
      return null;
    }
    if (!header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** A fixed description per reason: never the token, never an exception message. */
  private static String describe(AuthenticationException.Reason reason) {
    return switch (reason) {
      case EXPIRED -> "the token expired";
      case NOT_YET_VALID -> "the token is not valid yet";
      case WRONG_AUDIENCE -> "the token is not meant for this server (audience)";
      case UNTRUSTED_ISSUER -> "the token's issuer is not trusted here";
      case ISSUER_UNAVAILABLE -> "the token's issuer cannot be reached to check it";
      case MISSING_TOKEN -> "a bearer token is required";
      default -> "the token is invalid";
    };
  }
}
