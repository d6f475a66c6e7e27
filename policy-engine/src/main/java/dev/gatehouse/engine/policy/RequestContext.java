package dev.gatehouse.engine.policy;

import java.time.Instant;

/**
 * Where a statement comes from, besides who sent it.
 *
 * @param database the logical database the client asked for
 * @param clientApplication {@code application_name} or the MCP client's name, may be null
 * @param clientAddress the peer address, may be null
 * @param now the evaluation instant (injectable for tests)
 */
public record RequestContext(
    Channel channel,
    String database,
    String clientApplication,
    String clientAddress,
    Instant now) {}
