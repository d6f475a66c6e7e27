package dev.gatehouse.mcp.exec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.postgresql.PGConnection;

/**
 * What each pooled upstream session was last reset to ({@link #RESET} plus the statement timeout
 * and the read-only default), so a call can skip the reset when nothing since could have changed
 * the session. Whoever runs anything else on a pooled connection must {@link #forget} it.
 */
final class SessionSettings {

  /**
   * What a call finds of earlier calls on a pooled connection: nothing. Their cursors and prepared
   * statements (red-team round 14: a WITH HOLD cursor or a prepared statement, pgjdbc's own S_n
   * names included, ran under the next caller's verdict), settings, role, temporary objects of
   * every kind (red-team round 50: a temporary type an approved run created on the pooled
   * connection of the stronger role was found by the next approved run, since temporary names are
   * looked up before pg_catalog's), sequence state, LISTENs and advisory locks. DISCARD ALL does
   * all of this but cannot run in the several-statement message this is.
   */
  static final String RESET =
      "CLOSE ALL; DEALLOCATE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DISCARD TEMP;"
          + " DISCARD SEQUENCES; DISCARD PLANS; UNLISTEN *; SELECT pg_catalog.pg_advisory_unlock_all()";

  private static final java.security.SecureRandom SEEDS = new java.security.SecureRandom();

  /**
   * {@link #RESET}, and a new seed for {@code random()} that no caller chose (red-team round 51: a
   * call's {@code setseed} made the next callers' random values on that connection predictable; no
   * reset PostgreSQL has restores the seed).
   */
  static String reset() {
    return RESET + "; SELECT pg_catalog.setseed(" + (SEEDS.nextDouble() * 2 - 1) + ")";
  }

  /** The settings a call needs. */
  record Wanted(long timeoutMillis, boolean readOnly) {}

  // Keyed by the driver's connection, weakly, so connections the pool closes drop out.
  private final Map<Object, Wanted> applied = Collections.synchronizedMap(new WeakHashMap<>());

  /** True when {@code c} was reset to exactly {@code wanted} and has run only plain reads since. */
  boolean holds(Connection c, Wanted wanted) throws SQLException {
    return wanted.equals(applied.get(physical(c)));
  }

  void applied(Connection c, Wanted wanted) throws SQLException {
    applied.put(physical(c), wanted);
  }

  /** The session of {@code c} may have changed: the next call resets it. */
  void forget(Connection c) {
    try {
      applied.remove(physical(c));
    } catch (SQLException e) {
      applied.clear(); // cannot tell which: forget them all
    }
  }

  private static Object physical(Connection c) throws SQLException {
    return c.isWrapperFor(PGConnection.class) ? c.unwrap(PGConnection.class) : c;
  }
}
