package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.RequestContext;
import java.time.Instant;

/** A connection (wire) or session (MCP) opened or closed. */
public record ConnectionEvent(
    Instant at, boolean opened, String connectionId, Principal principal, RequestContext context) {}
