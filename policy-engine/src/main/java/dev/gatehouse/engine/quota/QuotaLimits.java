package dev.gatehouse.engine.quota;

/**
 * The bounds {@link Quotas} enforces, validated and defaulted here (0 means "the default").
 *
 * @param wireSessionsPerPrincipal wire sessions one principal may hold open at once
 * @param mcpSessionsPerPrincipal MCP sessions one principal may hold open at once
 * @param statementsPerPrincipal statements of one principal running at once, both channels
 * @param upstreamConnections upstream connections the gateway's wire sessions may hold in all; 0:
 *     the upstream's capacity, read at start, less the reserve and the MCP pools
 * @param upstreamReserve upstream slots the gateway leaves free when it reads the capacity
 * @param upstreamPerRole upstream connections of one upstream role; 0: the whole budget
 * @param upstreamPerPrincipal upstream connections one principal may hold; 0: half the budget
 * @param unauthenticatedConnections wire sockets that have not authenticated yet, apart from the
 *     sessions {@code wire.maxConnections} counts
 * @param unauthenticatedPerAddress of those, the sockets of one client address
 */
public record QuotaLimits(
    int wireSessionsPerPrincipal,
    int mcpSessionsPerPrincipal,
    int statementsPerPrincipal,
    int upstreamConnections,
    int upstreamReserve,
    int upstreamPerRole,
    int upstreamPerPrincipal,
    int unauthenticatedConnections,
    int unauthenticatedPerAddress) {

  public static final int DEFAULT_WIRE_SESSIONS = 100;
  public static final int DEFAULT_MCP_SESSIONS = 20;

  /**
   * As many as a principal's wire sessions, which run one statement each: a job's pool of 32 or 64
   * connections must not be refused by default (the bench's 32-client pgbench was, at 16). An
   * operator lowers it to bound a principal's running statements below its sessions.
   */
  public static final int DEFAULT_STATEMENTS = DEFAULT_WIRE_SESSIONS;

  public static final int DEFAULT_UPSTREAM_RESERVE = 10;
  public static final int DEFAULT_UNAUTHENTICATED = 64;
  public static final int DEFAULT_UNAUTHENTICATED_PER_ADDRESS = 16;

  /** Used when no capacity is configured and the upstream cannot be asked (PostgreSQL's own). */
  public static final int FALLBACK_UPSTREAM_CAPACITY = 100;

  public QuotaLimits {
    wireSessionsPerPrincipal =
        positiveOr(wireSessionsPerPrincipal, DEFAULT_WIRE_SESSIONS, "wireSessionsPerPrincipal");
    mcpSessionsPerPrincipal =
        positiveOr(mcpSessionsPerPrincipal, DEFAULT_MCP_SESSIONS, "mcpSessionsPerPrincipal");
    statementsPerPrincipal =
        positiveOr(statementsPerPrincipal, DEFAULT_STATEMENTS, "statementsPerPrincipal");
    upstreamConnections = positiveOr(upstreamConnections, 0, "upstream.maxConnections");
    if (upstreamReserve < 0) {
      throw new IllegalArgumentException(
          "`upstream.reserve` must not be negative; use 0 to leave no slot free");
    }
    upstreamPerRole = positiveOr(upstreamPerRole, 0, "upstream.perRole");
    upstreamPerPrincipal = positiveOr(upstreamPerPrincipal, 0, "upstream.perPrincipal");
    unauthenticatedConnections =
        positiveOr(
            unauthenticatedConnections, DEFAULT_UNAUTHENTICATED, "unauthenticatedConnections");
    unauthenticatedPerAddress =
        positiveOr(
            unauthenticatedPerAddress,
            DEFAULT_UNAUTHENTICATED_PER_ADDRESS,
            "unauthenticatedPerAddress");
    if (upstreamConnections > 0 && upstreamPerPrincipal > upstreamConnections) {
      throw new IllegalArgumentException(
          "`upstream.perPrincipal` "
              + upstreamPerPrincipal
              + " exceeds `upstream.maxConnections` "
              + upstreamConnections
              + ", so one principal could take every slot; lower it");
    }
  }

  /** As the canonical constructor, with the default per-address bound in startup. */
  public QuotaLimits(
      int wireSessionsPerPrincipal,
      int mcpSessionsPerPrincipal,
      int statementsPerPrincipal,
      int upstreamConnections,
      int upstreamReserve,
      int upstreamPerRole,
      int upstreamPerPrincipal,
      int unauthenticatedConnections) {
    this(
        wireSessionsPerPrincipal,
        mcpSessionsPerPrincipal,
        statementsPerPrincipal,
        upstreamConnections,
        upstreamReserve,
        upstreamPerRole,
        upstreamPerPrincipal,
        unauthenticatedConnections,
        0);
  }

  /** Every default; the upstream budget read at start. */
  public static QuotaLimits defaults() {
    return new QuotaLimits(0, 0, 0, 0, DEFAULT_UPSTREAM_RESERVE, 0, 0, 0, 0);
  }

  /**
   * The sockets of one address in startup: at most the whole reserve (a bound above it bounds
   * nothing more).
   */
  public int perAddressInStartup() {
    return Math.min(unauthenticatedPerAddress, unauthenticatedConnections);
  }

  /**
   * The upstream budget: the configured one, or {@code capacity} (the upstream's slots for ordinary
   * roles) less the reserve and {@code mcpPools} (the MCP pools' maximum), at least 1.
   */
  public int upstreamBudget(int capacity, int mcpPools) {
    if (upstreamConnections > 0) {
      return upstreamConnections;
    }
    return Math.max(1, capacity - upstreamReserve - mcpPools);
  }

  private static int positiveOr(int value, int fallback, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "`" + field + "` must be positive; leave it out for the default");
    }
    return value == 0 ? fallback : value;
  }
}
