package dev.gatehouse.mcp.transport;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.quota.Quotas;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which identity (issuer and subject) initialised each MCP session. A session is bound at birth, as
 * its id is issued in the {@code initialize} response, so that no other identity can ever be the
 * first to use it; a request with someone else's session id is answered as if the id did not exist.
 */
public final class SessionOwners {

  private final Map<String, String> owners = new ConcurrentHashMap<>();
  private final Map<String, Quotas.Permit> permits = new ConcurrentHashMap<>();

  /** Binds a newly issued session id to {@code principal}; an id is bound once. */
  public void bind(String sessionId, Principal principal) {
    owners.putIfAbsent(sessionId, key(principal));
  }

  /** True when the session exists and was initialised by another identity than {@code caller}. */
  public boolean foreign(String sessionId, Principal caller) {
    String owner = owners.get(sessionId);
    return owner != null && !owner.equals(key(caller));
  }

  /**
   * Binds a newly issued session id to {@code principal}, holding {@code permit} (its place in the
   * principal's MCP session quota) until the session ends.
   */
  public void bind(String sessionId, Principal principal, Quotas.Permit permit) {
    if (owners.putIfAbsent(sessionId, key(principal)) == null) {
      permits.put(sessionId, permit);
    } else {
      permit.close();
    }
  }

  /** The session ended. */
  public void release(String sessionId) {
    owners.remove(sessionId);
    Quotas.Permit permit = permits.remove(sessionId);
    if (permit != null) {
      permit.close();
    }
  }

  public int size() {
    return owners.size();
  }

  private static String key(Principal p) {
    // Issuer and subject together name an identity; a NUL cannot occur in either.
    return p.issuer() + '\0' + p.subject();
  }
}
