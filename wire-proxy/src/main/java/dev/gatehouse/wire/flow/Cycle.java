package dev.gatehouse.wire.flow;

/**
 * The extended protocol's cycle up to its Sync, as other flows see it: whether a message failed and
 * the rest is skipped, and whether statements ran in it.
 */
interface Cycle {

  /** True while messages up to the next Sync are skipped after an error. */
  boolean skipping();

  /** True between a cycle's first message and its Sync. */
  boolean inCycle();

  /** True when a statement was executed in this cycle (one implicit transaction with it). */
  boolean executedInCycle();

  /**
   * True (and answered) when a simple Query must be refused here; see {@link
   * ExtendedQueryFlow#refusesSimpleQuery}.
   */
  boolean refusesSimpleQuery();

  /** True when an approved run as another role ran in this cycle: nothing may follow it. */
  boolean afterElevatedRun();

  /** The upstream answered an error: skip to the Sync as PostgreSQL does. */
  void upstreamError();

  /**
   * The Bind of {@code portal} failed upstream with {@code sqlState} (PostgreSQL plans at Bind, so
   * an error of the statement itself may come there): the Execute of that portal, skipped, is
   * recorded with it.
   */
  void bindFailed(Portal portal, String sqlState);

  /**
   * Why {@code run}, skipped after an error of the cycle, did not run: its own Bind's failure, or
   * an earlier message's. Its SQLSTATE, or null.
   */
  String[] skippedBecause(StatementRun run);

  /** The upstream's ReadyForQuery ended the cycle. */
  void ready();

  /** Nothing is owed and a cycle is open: skip its remaining messages. */
  void skipToSync();
}
