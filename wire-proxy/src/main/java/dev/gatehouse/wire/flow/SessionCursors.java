package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Cursors;
import dev.gatehouse.engine.sql.StatementInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * The SQL cursors a session declared through the gateway, as PostgreSQL keeps them: a DECLARE adds
 * one, CLOSE and DISCARD ALL remove them, and the end of a transaction removes those without HOLD.
 * A FETCH from one is analysed as its declared query ({@code AnalysisContext#cursors}), so it is
 * judged and masked as that query; a FETCH from any other cursor keeps unknown lineage.
 */
final class SessionCursors {

  private final Map<String, Cursors.Declared> open = new HashMap<>();

  /**
   * Cursors declared in the transaction under way: a rollback drops them, WITH HOLD ones included,
   * while a commit keeps those WITH HOLD.
   */
  private final java.util.Set<String> declaredInTransaction = new java.util.HashSet<>();

  /**
   * The upstream answered an error since its last ReadyForQuery, or its block is aborted: the
   * transaction under way ends in a rollback, whatever ends it (COMMIT of an aborted block rolls
   * back; an error in a pipeline rolls back its implicit transaction at the Sync).
   */
  private boolean failing;

  /** Name to declared query, for the analysis of the next statement. */
  Map<String, String> queries() {
    Map<String, String> out = new HashMap<>();
    open.forEach((name, declared) -> out.put(name, declared.query()));
    return out;
  }

  /**
   * Why {@code statement}, a FETCH prepared earlier, may not run now: its cursor was declared again
   * (or closed) since, and its verdict and mask plan are those of the query declared then. Null
   * when it may run.
   */
  String redeclared(PreparedStatement statement) {
    for (StatementInfo s : statement.verdict().analysis().statements()) {
      String name = s.commandTag().equals("FETCH") ? Cursors.fetched(s.sql()) : null;
      if (name != null
          && !java.util.Objects.equals(
              statement.cursors.get(name),
              open.containsKey(name) ? open.get(name).query() : null)) {
        return "permission denied by gatehouse: cursor `"
            + name
            + "` was declared again or closed after this FETCH was prepared, and the FETCH was"
            + " judged with the query declared then; nothing was run. Prepare the FETCH again";
      }
    }
    return null;
  }

  boolean isOpen(String name) {
    return open.containsKey(name);
  }

  /** After a message ran without error: what it declared, closed or discarded. */
  void applied(Verdict verdict) {
    for (StatementInfo statement : verdict.analysis().statements()) {
      switch (statement.commandTag()) {
        case "DECLARE CURSOR" -> {
          Cursors.Declared declared = Cursors.declared(statement.sql());
          if (declared != null) {
            open.put(declared.name(), declared); // counted from zero since it ended (RowBudget)
            declaredInTransaction.add(declared.name());
          }
        }
        case "CLOSE CURSOR" -> {
          String name = Cursors.closed(statement.sql());
          if (Cursors.ALL.equals(name)) {
            open.clear();
          } else if (name != null) {
            open.remove(name);
          }
        }
        // A rollback (to a savepoint, too) drops the cursors declared since, a WITH HOLD one
        // included: the gateway cannot tell which, so it forgets them all (red-team round 14).
        case "DISCARD ALL", "ROLLBACK" -> open.clear();
        // The transaction ended, though AND CHAIN starts the next without an idle ReadyForQuery.
        case "COMMIT", "PREPARE TRANSACTION" -> ended();
        default -> {}
      }
    }
  }

  /** The cursor named {@code name} may be gone or another one: the gateway forgets it. */
  void forget(String name) {
    open.remove(name);
  }

  /** A rollback the gateway sends for the client (an aborted block's COMMIT): as ROLLBACK. */
  void rolledBack() {
    open.clear();
  }

  /**
   * A message failed: each cursor a statement of it declared or closed may or may not exist now
   * (PostgreSQL keeps what ran before the error when a savepoint after it is rolled back to), so
   * the gateway forgets those names; a FETCH of one is refused as unknown (red-team round 14).
   */
  void notApplied(Verdict verdict, boolean discardMayHaveRun) {
    for (StatementInfo statement : verdict.analysis().statements()) {
      switch (statement.commandTag()) {
        case "DECLARE CURSOR" -> {
          Cursors.Declared declared = Cursors.declared(statement.sql());
          if (declared == null) {
            open.clear();
          } else {
            open.remove(declared.name());
          }
        }
        case "CLOSE CURSOR", "ROLLBACK" -> open.clear();
        case "DISCARD ALL" -> {
          if (discardMayHaveRun) {
            open.clear();
          }
        }
        default -> {}
      }
    }
  }

  /** The upstream answered an error: the transaction under way will roll back. */
  void upstreamError() {
    failing = true;
  }

  /**
   * The upstream is ready with {@code status}: at idle the transaction ended, and cursors without
   * HOLD are gone, and those declared in it too when it rolled back (red-team round 15: a WITH HOLD
   * cursor declared early in a pipeline that failed later was kept).
   */
  void ready(char status) {
    if (status == 'I') {
      ended();
    } else if (status == 'T') {
      failing = false;
    }
  }

  private void ended() {
    if (failing) {
      open.keySet().removeAll(declaredInTransaction);
    }
    open.values().removeIf(declared -> !declared.hold());
    declaredInTransaction.clear();
    failing = false;
  }
}
