package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.sql.StatementInfo;

/**
 * Session state the gateway tracks from statements that ran: the search_path, SQL cursors, and what
 * DISCARD ALL resets (as PostgreSQL does: cursors closed, prepared statements deallocated, settings
 * back to their values at connection start).
 */
final class SessionSettings {

  private SessionSettings() {}

  /** After {@code verdict}'s statements succeeded: adopt a new search_path they set. */
  static void applied(Session session, Verdict verdict) {
    session.cursors.applied(session, verdict);
    for (StatementInfo statement : verdict.analysis().statements()) {
      if (statement.commandTag().equals("DISCARD ALL")) {
        session.searchPath = java.util.List.of("public");
        session.statements.keySet().removeIf(name -> !name.isEmpty());
        session.portals.keySet().removeIf(name -> !name.isEmpty());
        session.cursorRows.clear();
        continue;
      }
      String value = statement.settings().get("search_path");
      if (value == null) {
        continue;
      }
      boolean reset =
          statement.commandTag().startsWith("RESET") || value.equalsIgnoreCase("default");
      // An empty value (pg_dump's set_config('search_path', '', false)) is an empty path: only
      // pg_catalog resolves unqualified names, never the default's public.
      session.searchPath = reset ? java.util.List.of("public") : SearchPath.parse(value);
    }
  }
}
