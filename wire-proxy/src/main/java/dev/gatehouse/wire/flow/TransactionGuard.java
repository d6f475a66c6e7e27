package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import java.util.regex.Pattern;

/**
 * A statement the gateway refuses inside a transaction block aborts the transaction, as any error
 * does in PostgreSQL: until the block ends, other statements fail with 25P02, the client sees
 * transaction status {@code E}, and COMMIT rolls back. Otherwise a job that hit a denial half way
 * could still commit its first half.
 */
final class TransactionGuard {

  private static final Pattern ENDS_BLOCK =
      Pattern.compile("(?is)\\s*(commit|end|rollback|abort)\\b(?!.*\\bto\\b).*");
  private static final Pattern ROLLBACK_TO = Pattern.compile("(?is)\\s*rollback\\b.*\\bto\\b.*");

  /** What to do with a statement in an aborted block. */
  enum Action {
    /** Not aborted: decide as usual. */
    DECIDE,
    /** Ends the block: send ROLLBACK instead (COMMIT of a failed block rolls back). */
    ROLLBACK,
    /** ROLLBACK TO SAVEPOINT: the block lives on; decide as usual. */
    RECOVER,
    /** Anything else: 25P02. */
    REFUSE
  }

  private final Session session;
  private boolean aborted;

  TransactionGuard(Session session) {
    this.session = session;
  }

  /** The gateway refused a statement: inside a block, the block is now aborted. */
  void refused() {
    if (session.transactionStatus != ReadyForQuery.IDLE) {
      aborted = true;
      session.transactionStatus = 'E';
    }
  }

  Action action(String sql) {
    if (!aborted) {
      return Action.DECIDE;
    }
    if (ROLLBACK_TO.matcher(sql).matches()) {
      aborted = false;
      return Action.RECOVER;
    }
    return ENDS_BLOCK.matcher(sql).matches() ? Action.ROLLBACK : Action.REFUSE;
  }

  /** Relays the upstream's ReadyForQuery, reporting {@code E} while the block is aborted here. */
  void ready(Frame frame) {
    char status = UpstreamRelay.status(frame);
    if (status == ReadyForQuery.IDLE) {
      aborted = false;
      session.cursors.transactionEnded();
    }
    if (aborted && status == 'T') {
      frame.release();
      session.transactionStatus = 'E';
      session.send(new ReadyForQuery('E'));
      return;
    }
    session.transactionStatus = status;
    session.send(frame);
  }

  static final String MESSAGE =
      "current transaction is aborted, commands ignored until end of transaction block";
}
