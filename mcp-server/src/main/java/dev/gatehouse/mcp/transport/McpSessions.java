package dev.gatehouse.mcp.transport;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.mcp.config.McpServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live MCP sessions of the streamable HTTP transport: the identity that initialised each (bound
 * at birth, as its id is issued), its place in that principal's session quota, and its lease. A
 * session ends when its client deletes it, after {@code session-idle-timeout} with no request, at
 * {@code session-max-lifetime}, or when the last token its owner presented expires. An id that is
 * not live here (ended, never issued, or another identity's) is answered like an unknown one, with
 * HTTP 404, so MCP clients start a new session (MCP 2025-11-25, transports, session management).
 */
public final class McpSessions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(McpSessions.class);

  /** Why a session ended: the {@code ended} of its audit record. */
  public enum Ending {
    CLIENT("client"),
    IDLE("idle"),
    LIFETIME("lifetime"),
    TOKEN_EXPIRED("token-expired"),
    SHUTDOWN("shutdown");

    private final String word;

    Ending(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** Told once of each session that ended, and why. */
  public interface Listener {
    void ended(String sessionId, Ending why);
  }

  /** A session's lease; every field is guarded by the lease itself. */
  private static final class Lease {
    final String owner;
    final Quotas.Permit permit;
    final Instant born;
    Instant lastActive;
    Instant tokenExpiry;
    int inFlight;
    boolean deleting;
    boolean ended;

    Lease(String owner, Quotas.Permit permit, Instant born, Instant tokenExpiry) {
      this.owner = owner;
      this.permit = permit;
      this.born = born;
      this.lastActive = born;
      this.tokenExpiry = tokenExpiry;
    }
  }

  private final Clock clock;
  private final Duration idleTimeout;
  private final Duration maxLifetime;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Map<String, Runnable> closers = new ConcurrentHashMap<>();
  private volatile Listener listener = (id, why) -> {};
  private volatile boolean shuttingDown;
  private ScheduledExecutorService sweeper;

  /** Sessions on the system clock with the default idle timeout and no lifetime bound. */
  public McpSessions() {
    this(Clock.systemUTC(), McpServerConfig.DEFAULT_SESSION_IDLE_TIMEOUT, Duration.ZERO);
  }

  /**
   * @param maxLifetime {@link Duration#ZERO} for no bound
   */
  public McpSessions(Clock clock, Duration idleTimeout, Duration maxLifetime) {
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.maxLifetime = maxLifetime;
  }

  /** Sessions bounded as {@code config} says. */
  public static McpSessions of(McpServerConfig config, Clock clock) {
    return new McpSessions(clock, config.sessionIdleTimeout(), config.sessionMaxLifetime());
  }

  /** Who is told when a session ends (the transport: the audit record, per-session state). */
  public void listener(Listener value) {
    listener = value;
  }

  /** How the transport closes the session {@code sessionId} (its streams) once it ends here. */
  public void attach(String sessionId, Runnable closer) {
    closers.put(sessionId, closer);
  }

  /**
   * Binds a newly issued session id to {@code principal}, holding {@code permit} (its place in the
   * principal's MCP session quota) until the session ends; an id is bound once.
   */
  public void bind(String sessionId, Principal principal, Quotas.Permit permit) {
    Lease lease = new Lease(key(principal), permit, clock.instant(), principal.expiresAt());
    if (leases.putIfAbsent(sessionId, lease) != null) {
      permit.close();
    }
  }

  /**
   * A request of {@code caller} on {@code sessionId} begins: the session stays live while it runs.
   * Null when the id is not a live session of this caller (ended, due to end, unknown, or another
   * identity's: none of these is disturbed), which the caller answers with 404.
   */
  public Use enter(String sessionId, Principal caller) {
    Lease lease = leases.get(sessionId);
    if (lease == null || !lease.owner.equals(key(caller))) {
      return null;
    }
    Instant now = clock.instant();
    Ending due;
    synchronized (lease) {
      if (lease.ended) {
        return null;
      }
      due = due(lease, now);
      if (due == null) {
        lease.inFlight++;
        lease.lastActive = now;
        if (caller.expiresAt().isAfter(lease.tokenExpiry)) {
          lease.tokenExpiry = caller.expiresAt();
        }
        return new Use(lease);
      }
    }
    // Past its deadline, though no sweep has ended it yet: it ends now, and this request with it.
    expire(sessionId, lease, now);
    return null;
  }

  /** One request on a session; closing it makes the session idle again (if nothing else runs). */
  public final class Use implements AutoCloseable {
    private final Lease lease;
    private boolean closed;

    private Use(Lease lease) {
      this.lease = lease;
    }

    /** This request deletes the session: if the transport closes it meanwhile, the client did. */
    public void deleting() {
      synchronized (lease) {
        lease.deleting = true;
      }
    }

    @Override
    public void close() {
      synchronized (lease) {
        if (!closed) {
          closed = true;
          lease.inFlight--;
          lease.lastActive = clock.instant();
          lease.deleting = false;
        }
      }
    }
  }

  /** Ends every session that is due now; the sweeper calls it, and a refused initialize. */
  public void sweep() {
    Instant now = clock.instant();
    leases.forEach((id, lease) -> expire(id, lease, now));
  }

  /** Ends {@code sessionId} now, whatever its lease says (its client deleted it). */
  public void end(String sessionId, Ending why) {
    Lease lease = leases.get(sessionId);
    if (lease == null) {
      closers.remove(sessionId);
      return;
    }
    synchronized (lease) {
      if (lease.ended) {
        return;
      }
      lease.ended = true;
    }
    finish(sessionId, lease, why);
  }

  /**
   * The transport closed {@code sessionId} by itself: on the client's DELETE, on shutdown, or as
   * its own idle eviction of sessions (the backstop that drops the ones ended here).
   */
  public void transportClosed(String sessionId) {
    closers.remove(sessionId);
    Lease lease = leases.get(sessionId);
    if (lease == null) {
      return;
    }
    boolean deleting;
    synchronized (lease) {
      deleting = lease.deleting;
    }
    end(sessionId, deleting ? Ending.CLIENT : shuttingDown ? Ending.SHUTDOWN : Ending.IDLE);
  }

  /** Live sessions. */
  public int size() {
    return leases.size();
  }

  /** Starts ending due sessions in the background, checking a few times per idle timeout. */
  public synchronized void start() {
    if (sweeper != null || shuttingDown) {
      return;
    }
    Duration shortest =
        maxLifetime.isZero() || maxLifetime.compareTo(idleTimeout) > 0 ? idleTimeout : maxLifetime;
    long period = Math.clamp(shortest.toMillis() / 10, 50L, 10_000L);
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gatehouse-mcp-session-expiry");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** Stops the sweeper and ends every session ({@code shutdown}). */
  @Override
  public void close() {
    synchronized (this) {
      shuttingDown = true;
      if (sweeper != null) {
        sweeper.shutdownNow();
      }
    }
    leases.keySet().forEach(id -> end(id, Ending.SHUTDOWN));
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // The next sweep tries again; a failure here must not stop the sweeper for good.
      log.warn("ending expired MCP sessions failed: {}", e.toString());
    }
  }

  private void expire(String sessionId, Lease lease, Instant now) {
    Ending due;
    synchronized (lease) {
      if (lease.ended) {
        return;
      }
      due = due(lease, now);
      if (due == null) {
        return;
      }
      lease.ended = true;
    }
    finish(sessionId, lease, due);
  }

  private void finish(String sessionId, Lease lease, Ending why) {
    leases.remove(sessionId, lease);
    lease.permit.close();
    try {
      listener.ended(sessionId, why);
    } catch (RuntimeException e) {
      log.warn("recording the end of MCP session {} failed: {}", sessionId, e.toString());
    }
    Runnable closer = closers.remove(sessionId);
    if (closer != null) {
      closer.run();
    }
  }

  /**
   * Why the lease ends now, or null while it lives: a request in flight keeps it alive (it ends
   * once that request is answered, if still due); else the earliest deadline passed.
   */
  private Ending due(Lease lease, Instant now) {
    if (lease.inFlight > 0) {
      return null;
    }
    Ending why = null;
    Instant first = null;
    Instant idle = lease.lastActive.plus(idleTimeout);
    if (!now.isBefore(idle)) {
      why = Ending.IDLE;
      first = idle;
    }
    if (!maxLifetime.isZero()) {
      Instant end = lease.born.plus(maxLifetime);
      if (!now.isBefore(end) && (first == null || end.isBefore(first))) {
        why = Ending.LIFETIME;
        first = end;
      }
    }
    if (!now.isBefore(lease.tokenExpiry) && (first == null || lease.tokenExpiry.isBefore(first))) {
      why = Ending.TOKEN_EXPIRED;
    }
    return why;
  }

  private static String key(Principal p) {
    // Issuer and subject together name an identity; a NUL cannot occur in either.
    return p.issuer() + '\0' + p.subject();
  }
}
