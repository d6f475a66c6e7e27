package dev.gatehouse.engine.quota;

import dev.gatehouse.engine.identity.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one principal, and one upstream role, may hold at once, shared by both front ends: wire and
 * MCP sessions, running statements, upstream connections. A front end takes a {@link Permit} before
 * it opens the thing and closes it when the thing ends; past a bound it gets {@link QuotaExceeded}
 * (SQLSTATE 53300) naming the quota and its setting.
 */
public final class Quotas {

  /** A bound, what it counts, and the setting that sets it. */
  public enum Quota {
    WIRE_SESSIONS("wire sessions", "quotas.wireSessionsPerPrincipal", "close one"),
    MCP_SESSIONS("MCP sessions", "quotas.mcpSessionsPerPrincipal", "end one (HTTP DELETE)"),
    STATEMENTS("running statements", "quotas.statementsPerPrincipal", "wait for one to finish"),
    UPSTREAM_PER_PRINCIPAL(
        "upstream connections", "quotas.upstream.perPrincipal", "close an idle session"),
    UPSTREAM_PER_ROLE("upstream connections", "quotas.upstream.perRole", "close an idle session"),
    UPSTREAM_TOTAL("upstream connections", "quotas.upstream.maxConnections", "try again later");

    private final String counts;
    private final String setting;
    private final String hint;

    Quota(String counts, String setting, String hint) {
      this.counts = counts;
      this.setting = setting;
      this.hint = hint;
    }

    public String counts() {
      return counts;
    }

    public String setting() {
      return setting;
    }

    /** What the refused client can do about it. */
    public String hint() {
      return hint;
    }
  }

  /** Told of each key a quota starts counting, and of each refusal; metrics implement it. */
  public interface Observer {
    Observer NONE = new Observer() {};

    /**
     * {@code quota} counts {@code key} (a principal or a role) from now on, live in {@code inUse}.
     */
    default void tracking(Quota quota, String key, AtomicInteger inUse) {}

    default void refused(Quota quota, String key) {}
  }

  /** Held while the counted thing is open; closing it twice releases once. */
  public interface Permit extends AutoCloseable {
    Permit NONE = () -> {};

    @Override
    void close();
  }

  private final QuotaLimits limits;
  private final int upstreamBudget;
  private final Observer observer;
  private final Map<Quota, Map<String, AtomicInteger>> counts = new ConcurrentHashMap<>();
  private final AtomicInteger upstreamTotal = new AtomicInteger();

  /**
   * @param upstreamBudget upstream connections the wire sessions may hold in all ({@link
   *     QuotaLimits#upstreamBudget})
   */
  public Quotas(QuotaLimits limits, int upstreamBudget, Observer observer) {
    if (upstreamBudget < 1) {
      throw new IllegalArgumentException("the upstream budget must be at least 1");
    }
    this.limits = limits;
    this.upstreamBudget = upstreamBudget;
    this.observer = observer == null ? Observer.NONE : observer;
    this.observer.tracking(Quota.UPSTREAM_TOTAL, "", upstreamTotal);
  }

  /** Bounds nobody reaches: for tests and embedded uses that bound nothing. */
  public static Quotas unlimited() {
    int max = Integer.MAX_VALUE / 2;
    return new Quotas(
        new QuotaLimits(max, max, max, max, 0, max, max, max, max), max, Observer.NONE);
  }

  public QuotaLimits limits() {
    return limits;
  }

  /** Upstream connections the wire sessions may hold in all. */
  public int upstreamBudget() {
    return upstreamBudget;
  }

  /** The most upstream connections one principal may hold. */
  public int upstreamPerPrincipal() {
    return limits.upstreamPerPrincipal() > 0
        ? Math.min(limits.upstreamPerPrincipal(), upstreamBudget)
        : Math.max(1, upstreamBudget / 2);
  }

  /** The most upstream connections of one role. */
  public int upstreamPerRole() {
    return limits.upstreamPerRole() > 0
        ? Math.min(limits.upstreamPerRole(), upstreamBudget)
        : upstreamBudget;
  }

  /** A wire session of {@code principal}. */
  public Permit wireSession(Principal principal) {
    return take(Quota.WIRE_SESSIONS, key(principal), limits.wireSessionsPerPrincipal(), principal);
  }

  /** An MCP session of {@code principal}. */
  public Permit mcpSession(Principal principal) {
    return take(Quota.MCP_SESSIONS, key(principal), limits.mcpSessionsPerPrincipal(), principal);
  }

  /** A statement of {@code principal} that runs now. */
  public Permit statement(Principal principal) {
    return take(Quota.STATEMENTS, key(principal), limits.statementsPerPrincipal(), principal);
  }

  /**
   * A statement of {@code principal} that a human approved: counted like {@link #statement}, never
   * refused, so the approver's decision is not thrown away; approvals bound how many there are.
   */
  public Permit approvedStatement(Principal principal) {
    return take(Quota.STATEMENTS, key(principal), Integer.MAX_VALUE, principal);
  }

  /**
   * An upstream connection of {@code principal} as {@code role}: within the principal's share, the
   * role's bound and the gateway's budget, all or nothing.
   */
  public Permit upstream(Principal principal, String role) {
    Permit mine =
        take(Quota.UPSTREAM_PER_PRINCIPAL, key(principal), upstreamPerPrincipal(), principal);
    Permit ofRole;
    try {
      ofRole = take(Quota.UPSTREAM_PER_ROLE, role, upstreamPerRole(), null);
    } catch (QuotaExceeded e) {
      mine.close();
      throw e;
    }
    if (upstreamTotal.incrementAndGet() > upstreamBudget) {
      upstreamTotal.decrementAndGet();
      ofRole.close();
      mine.close();
      observer.refused(Quota.UPSTREAM_TOTAL, "");
      throw new QuotaExceeded(
          Quota.UPSTREAM_TOTAL,
          upstreamBudget,
          "too many upstream connections: the gateway's limit is "
              + upstreamBudget
              + " ("
              + Quota.UPSTREAM_TOTAL.setting()
              + "), kept below the upstream's capacity; try again when sessions close");
    }
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.compareAndSet(true, false)) {
        upstreamTotal.decrementAndGet();
        ofRole.close();
        mine.close();
      }
    };
  }

  /** What {@code quota} counts for {@code key} now (0 when it never counted it). */
  public int inUse(Quota quota, String key) {
    if (quota == Quota.UPSTREAM_TOTAL) {
      return upstreamTotal.get();
    }
    AtomicInteger n = counts.getOrDefault(quota, Map.of()).get(key);
    return n == null ? 0 : n.get();
  }

  /** What {@code quota} counts for {@code principal} now. */
  public int inUse(Quota quota, Principal principal) {
    return inUse(quota, key(principal));
  }

  /** How a principal is named in counts, metrics and messages: its subject. */
  public static String key(Principal principal) {
    return principal.subject();
  }

  private Permit take(Quota quota, String key, int limit, Principal principal) {
    AtomicInteger n =
        counts
            .computeIfAbsent(quota, q -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                key,
                k -> {
                  AtomicInteger counter = new AtomicInteger();
                  observer.tracking(quota, k, counter);
                  return counter;
                });
    if (n.incrementAndGet() > limit) {
      n.decrementAndGet();
      observer.refused(quota, key);
      String whose =
          principal != null ? "for principal `" + key + "`" : "as upstream role `" + key + "`";
      throw new QuotaExceeded(
          quota,
          limit,
          "too many "
              + quota.counts()
              + " "
              + whose
              + ": the limit is "
              + limit
              + " ("
              + quota.setting()
              + "); "
              + quota.hint()
              + " and try again");
    }
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.compareAndSet(true, false)) {
        n.decrementAndGet();
      }
    };
  }
}
