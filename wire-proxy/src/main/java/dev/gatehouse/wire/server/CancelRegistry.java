package dev.gatehouse.wire.server;

import dev.gatehouse.wire.flow.Session;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend key data the gateway issued to its clients, so that a CancelRequest (which arrives on
 * a new connection) finds its session; the upstream's own keys never reach a client.
 */
public final class CancelRegistry {

  /** A process id and secret issued to one client connection. */
  public record Key(int processId, int secretKey) {}

  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<Key, Session> sessions = new ConcurrentHashMap<>();

  /** A fresh random key, not in use by any other session. */
  public Key issue() {
    while (true) {
      Key key = new Key(random.nextInt() & 0x7fffffff, random.nextInt());
      if (!sessions.containsKey(key) && key.processId() != 0) {
        return key;
      }
    }
  }

  public void register(Key key, Session session) {
    sessions.put(key, session);
  }

  public void unregister(Key key) {
    sessions.remove(key);
  }

  /** Cancels on the session's own event loop; an unknown key is ignored, as PostgreSQL does. */
  public void cancel(Key key) {
    Session session = sessions.get(key);
    if (session != null) {
      session.loop().execute(session::cancel);
    }
  }
}
