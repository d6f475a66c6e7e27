package dev.gatehouse.gateway.console;

import dev.gatehouse.engine.identity.Principal;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side console sessions and sign-ins in progress, kept in memory: the browser holds only a
 * random id. A session ends at logout, when its token expires, or after eight hours.
 */
final class Sessions {

  /** A signed-in viewer; {@code csrf} is the synchronizer token every form posts back. */
  record Session(String id, String csrf, Principal principal, Instant expiresAt) {}

  /** A sign-in between the redirect to the issuer and the callback. */
  record Login(String state, String nonce, String verifier, Instant expiresAt) {}

  static final Duration MAX_SESSION = Duration.ofHours(8);
  static final Duration LOGIN_TIME = Duration.ofMinutes(10);

  // Bounds memory against a flood of sign-ins that never come back.
  private static final int MAX_LOGINS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Login> logins = new ConcurrentHashMap<>();

  Session open(Principal principal, Instant now) {
    sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
    Instant end = now.plus(MAX_SESSION);
    if (principal.expiresAt().isBefore(end)) {
      end = principal.expiresAt();
    }
    Session s = new Session(random(32), random(32), principal, end);
    sessions.put(s.id(), s);
    return s;
  }

  Optional<Session> find(String id, Instant now) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!now.isBefore(s.expiresAt())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  Login begin(Instant now) {
    logins.values().removeIf(l -> !now.isBefore(l.expiresAt()));
    if (logins.size() >= MAX_LOGINS) {
      throw new IllegalStateException("too many sign-ins in progress; try again in a few minutes");
    }
    Login l = new Login(random(24), random(24), random(48), now.plus(LOGIN_TIME));
    logins.put(l.state(), l);
    return l;
  }

  /** The sign-in for {@code state}, once: a replayed callback finds nothing. */
  Optional<Login> take(String state, Instant now) {
    Login l = state == null ? null : logins.remove(state);
    return l == null || !now.isBefore(l.expiresAt()) ? Optional.empty() : Optional.of(l);
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Compares secrets in constant time. */
  static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
