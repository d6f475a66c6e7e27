package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.sql.Cursors;
import dev.gatehouse.engine.sql.StatementInfo;
import java.util.HashMap;
import java.util.List;
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

  /** DISCARD ALL closed every cursor. */
  void clear() {
    cursorRows.clear();
  }

  /**
   * The SQL cursor whose rows arrive now, or null: the statement the upstream is answering (a
   * simple Query's statements end one CommandComplete each) when it is a FETCH.
   */
  static String cursor(StatementRun run) {
    return cursorOf(run, run.count == null ? 0 : run.count.ended());
  }

  /**
   * After a CommandComplete: a DECLARE that just ended starts its cursor's count from zero (here,
   * not once the whole message has run, so a FETCH later in the same message is counted).
   */
  void ended(StatementRun run) {
    int index = run.count == null ? 0 : run.count.ended() - 1;
    List<StatementInfo> statements = run.verdict.analysis().statements();
    if (index >= 0
        && index < statements.size()
        && statements.get(index).commandTag().equals("DECLARE CURSOR")) {
      Cursors.Declared declared = Cursors.declared(statements.get(index).sql());
      if (declared != null) {
        cursorRows.remove(declared.name());
      }
    }
  }

  /** After a CommandComplete: whether the statement that just ended was a FETCH. */
  static boolean endedFetch(StatementRun run) {
    return cursorOf(run, run.count == null ? 0 : run.count.ended() - 1) != null;
  }

  private static String cursorOf(StatementRun run, int index) {
    List<StatementInfo> statements = run.verdict.analysis().statements();
    if ((run.count == null && statements.size() != 1) || index < 0 || index >= statements.size()) {
      return null;
    }
    StatementInfo s = statements.get(index);
    return s.commandTag().equals("FETCH") ? Cursors.fetched(s.sql()) : null;
  }
}
