package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;

/**
 * Session state the gateway tracks from statements that ran, for the analysis of the next one: the
 * search_path, SQL cursors, statements prepared with SQL PREPARE, and what DISCARD ALL resets (as
 * PostgreSQL does: cursors closed, prepared statements deallocated, settings back to their values
 * at connection start).
 */
final class SessionSettings {

  private final SessionCursors cursors = new SessionCursors();
  private final SessionPrepared prepared = new SessionPrepared();
  private final PathTracker path = new PathTracker(AnalysisContext.DEFAULT.searchPath());

  /** What the analysis of the next statement must know of this session. */
  AnalysisContext analysisContext() {
    return new AnalysisContext(
        path.current(), cursors.queries(), prepared.statements(), path.settled());
  }

  List<String> searchPath() {
    return path.current();
  }

  /** Statement {@code index} of {@code verdict} completed upstream. */
  void completed(Verdict verdict, int index) {
    List<StatementInfo> statements = verdict.analysis().statements();
    if (index >= 0 && index < statements.size()) {
      path.completed(statements.get(index));
    }
  }

  /** A statement failed upstream. */
  void failed() {
    path.failed();
  }

  /** The gateway rolled the transaction back itself: the SETs in it are undone. */
  void rolledBack() {
    path.rolledBack();
    cursors.rolledBack(); // a WITH HOLD cursor of the block goes too
  }

  /** The upstream is ready for a query, with this transaction status. */
  void ready(char status) {
    path.ready(status);
  }

  SessionCursors cursors() {
    return cursors;
  }

  /** The statements prepared with SQL PREPARE. */
  SessionPrepared sqlPrepared() {
    return prepared;
  }

  /** The upstream reported a parameter (ParameterStatus): search_path is the one that matters. */
  void reported(String name, String value) {
    if (name.equals("search_path")) {
      path.reported(SearchPath.parse(value));
    }
  }

  /** After a message of {@code verdict}'s failed: the names it may have touched are forgotten. */
  void notApplied(Verdict verdict, boolean discardMayHaveRun) {
    cursors.notApplied(verdict, discardMayHaveRun);
    prepared.notApplied(verdict, discardMayHaveRun);
  }

  /**
   * After {@code verdict}'s statements succeeded: adopt a new search_path they set, and the cursors
   * they declared or closed; DISCARD ALL also clears the row counts.
   */
  void applied(Verdict verdict, RowBudget budget) {
    cursors.applied(verdict);
    prepared.applied(verdict);
    for (StatementInfo statement : verdict.analysis().statements()) {
      if (statement.commandTag().equals("DISCARD ALL")) {
        // search_path went back with the statement itself (PathTracker)
        budget.clear();
      }
    }
  }
}
