package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.policy.Verdict;

/**
 * What the session holds between statements: names, settings, the transaction and the pipeline
 * cycle. One of the session's roles ({@link Session} implements them all).
 */
interface SessionState {

  /** search_path, SQL prepared statements and cursors. */
  SessionSettings settings();

  /** Rows each portal and SQL cursor delivered, for the row limit. */
  RowBudget budget();

  /** Protocol statements and portals. */
  PreparedStatements prepared();

  /** The transaction as the client was told it. */
  TransactionGuard transaction();

  /** The extended protocol's cycle up to its Sync. */
  Cycle cycle();

  /** After {@code verdict}'s statements succeeded: the session state they changed. */
  void applied(Verdict verdict);

  /** A message failed upstream: the names and settings it would have changed stay as they were. */
  void notApplied(Verdict verdict);
}
