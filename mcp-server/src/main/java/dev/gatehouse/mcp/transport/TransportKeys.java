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

  private TransportKeys() {}
}
