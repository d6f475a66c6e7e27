package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.backend.BackendMessage;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the session waits for from the upstream, in the order the requests went out; the client sees
 * the answers in the same order, with the gateway's own answers (denials, notices) slotted in where
 * the request that caused them stood.
 */
sealed interface Pending {

  /** The gateway's own answer, sent when everything before it was answered. */
  record Synthetic(Supplier<List<BackendMessage>> messages) implements Pending {}

  /**
   * A step of the gateway's own flow, taken once everything before it was answered; taken too when
   * the upstream skipped those answers after an error, so the step looks at the session (its
   * extended flow is skipping then) instead of assuming they succeeded. A step dropped unrun left
   * its session suspended for good (red-team round 8).
   */
  record Continuation(Runnable step) implements Pending {}

  /**
   * One reply of a known type: ParseComplete ({@code 1}), BindComplete ({@code 2})... {@code
   * notDone} (or null) runs when the message failed or was skipped instead: what the gateway
   * recorded for it must go (red-team round 14: a Parse PostgreSQL refused stayed the name's
   * statement here, and a later Parse of that name that PostgreSQL took was judged as the first).
   * {@code name} (or null) is the statement a Parse creates or the portal a Bind does, named or
   * not: a message of a later cycle that uses that name waits for this reply ({@link
   * Owed#namesOwedAcrossSync}).
   */
  record Reply(char type, Runnable notDone, String name) implements Pending {
    Reply(char type) {
      this(type, null, null);
    }

    Reply(char type, Runnable notDone) {
      this(type, notDone, null);
    }
  }

  /** A reply the client must not see (a Parse replayed after switching upstream role). */
  record Swallow(char type) implements Pending {}

  /**
   * A reply to the gateway's own setup of a run it makes (its Parse and Bind of an approved
   * statement's text): not the client's to see, but an error there is the run's, so it goes on to
   * the run or guard after it, which the client then hears of (a {@link Swallow} would drop it, and
   * the run wait for answers the server skips). Its errors are redacted for {@code run}.
   */
  record RunSetup(char type, StatementRun run) implements Pending {}

  /** Describe of a statement: ParameterDescription, then RowDescription or NoData. */
  record DescribeStatement(PreparedStatement statement) implements Pending {}

  /** Describe of a portal: RowDescription or NoData. */
  record DescribePortal(Portal portal) implements Pending {}

  /**
   * The gateway's own Describe of a portal the client runs without having described it: the
   * RowDescription (or NoData) is the gateway's, to mask the rows by (red-team round 45: rows of a
   * portal nobody described were planned over columns of unknown type and origin, and a function's
   * masked value and the detectors' findings went out in clear). An error is {@code run}'s, since
   * the server then skips its Execute.
   */
  record HiddenDescribe(Portal portal, StatementRun run) implements Pending {}

  /** The gateway's own Describe of a COPY's query, up to its Sync ({@link CopyFlow}). */
  record CopyDescribe(StatementRun run) implements Pending {}

  /** The rows and completion of an Execute, or of a whole simple Query up to ReadyForQuery. */
  record Run(StatementRun run) implements Pending {}

  /** answers of a write under a row bound, held until its count is known. */
  record Guarded(BlastGuard guard, Runnable done) implements Pending {}

  /**
   * The client's Sync while the gateway's own transaction is open ({@link
   * ExtendedQueryFlow#ownTransactionOpen}): its ReadyForQuery is the gateway's, which then commits
   * (nothing failed) or rolls back, and sends the Sync whose ReadyForQuery the client gets. With
   * {@code begin}, the transaction is the gateway's only if that BEGIN ran and found none open.
   */
  record OwnTransactionEnd(boolean failed, BlastGuard begin) implements Pending {}

  /** A Sync: ReadyForQuery. */
  record SyncPoint() implements Pending {}
}
