package dev.gatehouse.mcp.transport;

/** Keys of what the HTTP layer hands the MCP layer in each request's transport context. */
public final class TransportKeys {

  /** The verified {@code Principal} of the request's bearer token. */
  public static final String PRINCIPAL = "gatehouse.principal";

  /** The caller's address as the server saw it. */
  public static final String CLIENT_ADDRESS = "gatehouse.client-address";

  /** The caller's User-Agent, when it sent one. */
  public static final String USER_AGENT = "gatehouse.user-agent";

  /**
   * A {@code BooleanSupplier} that tells whether the caller is still connected (false once the HTTP
   * connection is gone); absent where the transport cannot tell.
   */
  public static final String CALLER_PROBE = "gatehouse.caller-probe";

  /**
   * Set by the HTTP filter on a POST that may be answered with one {@code application/json}
   * response: a request ({@code ping}, {@code tools/list}, {@code tools/call}) on a session that
   * asks for no progress (no {@code params._meta.progressToken}).
   */
  public static final String SINGLE_ANSWER = "gatehouse.single-answer";

  /**
   * Set by the transport once it answers the request with one {@code application/json} response (no
   * event stream): the caller probe then writes JSON whitespace, not SSE comments.
   */
  public static final String JSON_ANSWER = "gatehouse.json-answer";

  private TransportKeys() {}
}
