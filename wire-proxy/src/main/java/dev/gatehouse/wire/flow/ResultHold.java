package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.sql.PlainRead;
import dev.gatehouse.wire.protocol.Frame;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a plain read ({@link PlainRead}) go upstream while its audit record commits, and holds back
 * every upstream message from the moment the read's answers are next until the record is durable:
 * no byte of a result reaches the client before its decision is on record. If the record cannot be
 * committed, the held answers are dropped and the session ends (fail closed). Statements that could
 * change anything still wait for their record before they are sent (ADR 0004).
 *
 * <p>While it holds, the session stops reading the upstream, so at most one read's worth of frames
 * is kept in memory.
 */
final class ResultHold {

  private static final Logger log = LoggerFactory.getLogger(ResultHold.class);

  static final String FAILED =
      "the audit trail became unavailable while the statement ran, so its results were withheld"
          + " and the session closed; reconnect once the audit trail is back";

  private final Relaying session;
  private final java.util.function.Consumer<Frame> relayFrame;
  private final Runnable readComplete;
  private final ArrayDeque<Frame> held = new ArrayDeque<>();

  /**
   * {@code relayFrame} relays a released frame as one just read; {@code readComplete} ends the
   * release as a read of the upstream ends.
   */
  ResultHold(
      Relaying session, java.util.function.Consumer<Frame> relayFrame, Runnable readComplete) {
    this.session = session;
    this.relayFrame = relayFrame;
    this.readComplete = readComplete;
  }

  /**
   * Marks {@code run} as sent before its record is durable; its answers (and anything after them)
   * are held until {@code durable} completes. Call before the statement is written upstream.
   */
  void await(StatementRun run, CompletableFuture<Void> durable) {
    if (durable.isDone() && !durable.isCompletedExceptionally()) {
      return; // already on record
    }
    run.recordPending = true;
    session.whenDone(
        durable,
        (ok, error) -> {
          if (session.closed()) {
            return;
          }
          if (error != null) {
            failed(error);
          } else {
            run.recordPending = false;
            release();
          }
        });
  }

  /**
   * True while upstream messages must wait: the next answers belong to a read not yet on record.
   */
  boolean holding() {
    return !held.isEmpty()
        || (session.pending().next() instanceof Pending.Run(StatementRun run) && run.recordPending);
  }

  /** Keeps {@code frame} back when it may belong to a result not yet on record. */
  boolean offer(Frame frame) {
    if (!holding()) {
      return false;
    }
    held.add(frame);
    return true;
  }

  /** Relays what is held up to the next read whose record is still pending, then reads on. */
  private void release() {
    while (!held.isEmpty() && !session.closed() && !headPending()) {
      relayFrame.accept(held.poll());
    }
    if (session.closed()) {
      clear();
      return;
    }
    readComplete.run();
  }

  private boolean headPending() {
    return session.pending().next() instanceof Pending.Run(StatementRun run) && run.recordPending;
  }

  private void failed(Throwable error) {
    // One line, no stack trace: the audit trail logs the outage itself (once), and only reads in
    // flight when it begins get here; later ones are refused before they are sent.
    log.warn(
        "audit record not durable after its read was sent in session {}; results withheld, session"
            + " closed: {}",
        session.info().connectionId(),
        String.valueOf(error));
    clear();
    session.relay().abandon("results withheld: the audit record could not be committed");
    session.fatal(SqlState.INTERNAL_ERROR, FAILED);
  }

  /** Drops what is held (the session is ending). */
  void clear() {
    held.forEach(Frame::release);
    held.clear();
  }
}
