package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.sql.AnalysisContext;
import dev.gatehouse.engine.sql.StatementInfo;
import java.util.List;

/**
 * Session state the gateway tracks from statements that ran, for the analysis of the next one: the
 * search_path, SQL cursors, and what DISCARD ALL resets (as PostgreSQL does: cursors closed,
 * prepared statements deallocated, settings back to their values at connection start).
 */
final class SessionSettings {

  private static final List<String> DEFAULT_PATH = List.of("public");

  private final SessionCursors cursors = new SessionCursors();
  private List<String> searchPath = AnalysisContext.DEFAULT.searchPath();

  /** What the analysis of the next statement must know of this session. */
  AnalysisContext analysisContext() {
    return new AnalysisContext(searchPath, cursors.queries());
  }

  List<String> searchPath() {
    return searchPath;
  }

  SessionCursors cursors() {
    return cursors;
  }

  /** The upstream reported a parameter (ParameterStatus): search_path is the one that matters. */
  void reported(String name, String value) {
    if (name.equals("search_path")) {
      searchPath = SearchPath.parse(value);
    }
  }

  /**
   * After {@code verdict}'s statements succeeded: adopt a new search_path they set, and the cursors
   * they declared or closed. True when they ran DISCARD ALL (the caller deallocates what it keeps).
   */
  boolean applied(Verdict verdict, RowBudget budget) {
    cursors.applied(verdict);
    boolean discarded = false;
    for (StatementInfo statement : verdict.analysis().statements()) {
      if (statement.commandTag().equals("DISCARD ALL")) {
        searchPath = DEFAULT_PATH;
        budget.clear();
        discarded = true;
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
      searchPath = reset ? DEFAULT_PATH : SearchPath.parse(value);
    }
    return discarded;
  }
}
