package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.RequestContext;
import java.time.Instant;

/**
 * A connection (wire) or session (MCP) opened or closed.
 *
 * @param ended why a closed one ended (for an MCP session: {@code client}, {@code idle}, {@code
 *     lifetime}, {@code token-expired}, {@code shutdown}), or null when not said
 */
public record ConnectionEvent(
    Instant at,
    boolean opened,
    String connectionId,
    Principal principal,
    RequestContext context,
    String ended) {

  /** An event that does not say why a connection ended. */
  public ConnectionEvent(
      Instant at,
      boolean opened,
      String connectionId,
      Principal principal,
      RequestContext context) {
    this(at, opened, connectionId, principal, context, null);
  }
}
