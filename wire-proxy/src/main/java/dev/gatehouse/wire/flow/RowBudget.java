package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.sql.StatementInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The row limit counted where a client could otherwise reset it: per portal across Executes with a
 * row count (PortalSuspended, JDBC setFetchSize, pg-cursor), and per SQL cursor across FETCHes.
 * Each result starts from the rows its portal or cursor has already delivered.
 */
final class RowBudget {

  /** Rows each SQL cursor delivered, by cursor name. */
  private final Map<String, Long> cursorRows = new HashMap<>();

  /** Rows already delivered under the same limit, this result's rows included. */
  long spent(StatementRun run, long resultRows) {
    long spent = resultRows;
    if (run.portal != null) {
      spent = Math.max(spent, run.portal.rowsSent);
    }
    String cursor = cursor(run);
    if (cursor != null) {
      spent = Math.max(spent, cursorRows.getOrDefault(cursor, 0L)); // this result's included
    }
    return spent;
  }

  /** One more row reached the client. */
  void sent(StatementRun run) {
    if (run.portal != null) {
      run.portal.rowsSent++;
    }
    String cursor = cursor(run);
    if (cursor != null) {
      cursorRows.merge(cursor, 1L, Long::sum);
    }
  }

  /** A cursor of this name was declared (again): it is counted from zero. */
  void cursorDeclared(String name) {
    cursorRows.remove(name);
  }

  /** DISCARD ALL closed every cursor. */
  void clear() {
    cursorRows.clear();
  }

  /** The cursor a FETCH reads from, by its last word: {@code FETCH 10 FROM c}. */
  static String cursor(StatementRun run) {
    List<StatementInfo> statements = run.verdict.analysis().statements();
    if (statements.size() != 1 || !statements.getFirst().commandTag().equals("FETCH")) {
      return null;
    }
    String sql = statements.getFirst().sql().strip();
    int end = sql.length();
    while (end > 0 && sql.charAt(end - 1) == ';') {
      end--;
    }
    sql = sql.substring(0, end).strip();
    int start = sql.lastIndexOf(' ');
    String name = sql.substring(start + 1);
    return name.startsWith("\"") ? name.replace("\"", "") : name.toLowerCase(Locale.ROOT);
  }
}
