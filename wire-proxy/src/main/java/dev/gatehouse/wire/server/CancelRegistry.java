package dev.gatehouse.wire.server;

import dev.gatehouse.wire.flow.Session;
import dev.gatehouse.wire.protocol.CancelKey;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend key data the gateway issued to its clients, so that a CancelRequest (which arrives on
 * a new connection) finds its session; the upstream's own keys never reach a client. Process ids
 * are unique among live sessions, so a request is looked up by its process id and its secret then
 * compared in constant time.
 */
public final class CancelRegistry {

  /** The secret's length for protocol 3.2 clients, as PostgreSQL 18 issues it. */
  public static final int LONG_KEY_LENGTH = 32;

  /** A process id and secret issued to one client connection. */
  public record Key(int processId, byte[] secret) {

    public Key {
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }
  }

  private record Entry(byte[] secret, Runnable cancel) {}

  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<Integer, Entry> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Boolean> issued = new ConcurrentHashMap<>();

  /**
   * A fresh random key whose process id no other live session holds; its secret has {@code
   * secretLength} bytes (4 for protocol 3.0 clients, which cannot read more).
   */
  public Key issue(int secretLength) {
    CancelKey.checked(new byte[secretLength], "issued cancel key");
    byte[] secret = new byte[secretLength];
    random.nextBytes(secret);
    while (true) {
      int processId = random.nextInt() & 0x7fffffff;
      if (processId != 0 && issued.putIfAbsent(processId, Boolean.TRUE) == null) {
        return new Key(processId, secret);
      }
    }
  }

  /** Cancels on the session's own event loop. */
  public void register(Key key, Session session) {
    register(key, () -> session.loop().execute(session::cancel));
  }

  void register(Key key, Runnable cancel) {
    sessions.put(key.processId(), new Entry(key.secret(), cancel));
  }

  /** Frees the key's process id (the session ended, or never started). */
  public void unregister(Key key) {
    sessions.remove(key.processId());
    issued.remove(key.processId());
  }

  /**
   * Cancels the session the key names; an unknown key, or a known process id with another secret (a
   * 3.0-length prefix of a long key included), is ignored, as PostgreSQL does.
   */
  public void cancel(int processId, byte[] secret) {
    Entry entry = sessions.get(processId);
    if (entry != null && CancelKey.same(entry.secret(), secret)) {
      entry.cancel().run();
    }
  }
}
