package dev.gatehouse.mcp.exec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.postgresql.PGConnection;

/**
 * What each pooled upstream session was last reset to ({@code CLOSE ALL}, {@code DEALLOCATE ALL},
 * {@code RESET ALL} plus the statement timeout and the read-only default), so a call can skip the
 * reset when nothing since could have changed the session. Whoever runs anything else on a pooled
 * connection must {@link #forget} it.
 */
final class SessionSettings {

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
