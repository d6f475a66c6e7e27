package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ParameterStatus;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.backend.RowDescription;

/**
 * Routes each upstream message to the request it answers (the head of the pending queue) and on to
 * the client: original bytes unless masking or a row limit must change them.
 */
final class UpstreamRelay {

  private final Relaying session;
  private final ResultRelay results;

  /**
   * Whether masking applied to the statement answered last (null: none yet): a notification arrives
   * between statements, and its payload is another session's text.
   */
  private Boolean masked;

  ResultRelay results() {
    return results;
  }

  UpstreamRelay(Relaying session) {
    this.session = session;
    this.results = new ResultRelay(session);
  }

  void frame(Frame upstream) {
    char type = upstream.typeChar();
    // Error and notice text may echo masked values: redacted before the client or audit sees it.
    Frame frame =
        type == 'E' || type == 'N'
            ? UpstreamErrors.redact(session, upstream)
            : type == 'A' ? UpstreamErrors.notification(session, masked, upstream) : upstream;
    if (type == 'E') {
      session.settings().cursors().upstreamError();
    }
    if (type == 'G') {
      session.copyInStarted();
    } else if (type == 'E' || type == 'C' || type == 'Z') {
      session.copyInEnded();
    }
    switch (type) {
      case 'N', 'A' -> {
        // the warning of the gateway's own BEGIN under a row bound is its own.
        if (type == 'N'
            && session.pending().next() instanceof Pending.Guarded(BlastGuard g, var d)) {
          g.notice(frame);
        } else {
          session.send(frame); // notices and notifications pass at any time
        }
      }
      case 'S' -> parameterStatus(frame);
      default -> answer(type, frame);
    }
  }

  private void parameterStatus(Frame frame) {
    if (BackendMessage.decode(frame) instanceof ParameterStatus(String name, String value)) {
      session.settings().reported(name, value);
    }
    session.send(frame);
  }

  private void answer(char type, Frame frame) {
    Pending head = session.pending().next();
    if (head == null) {
      // Nothing was asked: only an upstream FATAL before it closes arrives like this.
      session.send(frame);
      return;
    }
    switch (head) {
      case Pending.Run(StatementRun run) -> {
        masked = UpstreamErrors.masked(run);
        if (results.frame(run, type, frame)) {
          finished(type);
        }
      }
      case Pending.CopyDescribe(StatementRun run) -> {
        if (CopyFlow.described(run, type, frame)) {
          session.pending().answered();
        }
      }
      case Pending.Reply(char expected, Runnable notDone, String name) -> {
        if (type == 'E'
            && notDone instanceof ExtendedQueryFlow.NotBound bound
            && BackendMessage.decode(frame)
                instanceof dev.gatehouse.wire.protocol.backend.ErrorResponse error) {
          session.cycle().bindFailed(bound.portal(), error.sqlState());
        }
        session.send(frame);
        if (type == 'E' && notDone != null) {
          notDone.run();
        }
        if (type == expected || type == 'E') {
          finished(type);
        }
      }
      case Pending.Swallow(char expected) -> {
        frame.release();
        if (type == 'E') {
          while (session.pending().next() instanceof Pending.Swallow(char t) && t != 'Z') {
            session.pending().answered();
          }
        } else if (type == expected) {
          session.pending().answered();
        }
        drainSynthetic();
      }
      case Pending.RunSetup(char expected, StatementRun setupFor) -> {
        if (type == 'E') {
          // The rest of the setup is skipped by the server too; the error is the run's.
          while (session.pending().next() instanceof Pending.RunSetup) {
            session.pending().answered();
          }
          answer(type, frame);
          return;
        }
        frame.release();
        if (type == expected) {
          session.pending().answered();
        }
        drainSynthetic();
      }
      case Pending.DescribeStatement(PreparedStatement statement) -> {
        if (type == 'T') {
          statement.description = (RowDescription) BackendMessage.decode(frame);
        }
        session.send(frame);
        if (type == 'T' || type == 'n' || type == 'E') {
          finished(type);
        }
      }
      case Pending.HiddenDescribe(Portal portal, StatementRun run) -> {
        session.pending().answered();
        if (type != 'T' && type != 'n') {
          // Not its answer: an error (the server then skips the Execute after it, so the error
          // is the run's) or what follows a Describe the server skipped.
          answer(type, frame);
          return;
        }
        if (type == 'T') {
          portal.description = (RowDescription) BackendMessage.decode(frame);
        }
        frame.release();
        drainSynthetic();
      }
      case Pending.DescribePortal(Portal portal) -> {
        if (type == 'T') {
          portal.description = (RowDescription) BackendMessage.decode(frame);
          // Clients that describe the portal once reuse the description for later portals of
          // the same statement (pgjdbc), so the statement keeps it too.
          portal.statement.description = portal.description;
        }
        session.send(frame);
        finished(type);
      }
      case Pending.OwnTransactionEnd(boolean failed, BlastGuard begin) -> {
        if (type != 'Z') {
          session.send(frame);
          return;
        }
        char status = status(frame);
        if (begin != null) {
          begin.discard();
        }
        if (status == 'I' || (begin != null && (begin.skipped || begin.alreadyInTransaction))) {
          // Nothing of the gateway's is open (the client ended it, the server skipped the BEGIN
          // after an error, or the block is the client's own): this is the client's answer.
          session.readyForQuery(frame);
          session.cycle().ready();
          finished(type);
          session.resume();
          return;
        }
        frame.release();
        session.pending().answered();
        BlastRadius.control(session, !failed && status == 'T' ? "COMMIT" : "ROLLBACK");
        session.expect(new Pending.SyncPoint());
        session.upstream().write(new dev.gatehouse.wire.protocol.frontend.Sync());
        session.upstream().flush();
        session.resume();
      }
      case Pending.SyncPoint() -> {
        if (type == 'Z') {
          session.readyForQuery(frame);
          session.cycle().ready();
          finished(type);
        } else {
          session.send(frame);
        }
      }
      case Pending.Guarded(BlastGuard guard, Runnable done) -> {
        if (type == 'G') {
          // A bounded COPY FROM STDIN: the client sends its data now, the count comes after it.
          session.send(frame);
          session.resume();
          return;
        }
        if (guard.frame(type, frame)) {
          session.pending().answered();
          done.run();
          drainSynthetic();
        }
      }
      case Pending.Synthetic s -> throw new IllegalStateException("synthetic answer at the head");
      case Pending.Continuation c -> throw new IllegalStateException("continuation at the head");
    }
  }

  static char status(Frame frame) {
    return ReadyForQuery.status(frame.body());
  }

  /** The head request is answered; after an error the upstream skips to the next Sync. */
  private void finished(char type) {
    session.pending().answered();
    if (type == 'E') {
      session.cycle().upstreamError();
      skipToSync();
    }
    drainSynthetic();
  }

  private void skipToSync() {
    java.util.List<Runnable> steps = new java.util.ArrayList<>();
    // A Swallow of `Z` is a Sync the gateway sent itself (replay, approved run): it ends the skip,
    // as does the client's Sync, whether it is answered as is or ends the gateway's transaction.
    while (!session.pending().isEmpty()
        && !(session.pending().next() instanceof Pending.SyncPoint)
        && !(session.pending().next() instanceof Pending.OwnTransactionEnd)
        && !(session.pending().next() instanceof Pending.Swallow(char t) && t == 'Z')) {
      Pending skipped = session.pending().answered();
      if (skipped instanceof Pending.Continuation(Runnable step)) {
        steps.add(step); // taken below, once the session is known to skip
      } else if (skipped instanceof Pending.Run(StatementRun run)) {
        String[] because = session.cycle().skippedBecause(run);
        run.failed(because[0], because[1]);
        run.complete();
      } else if (skipped instanceof Pending.Reply(char t, Runnable notDone, String name)
          && notDone != null) {
        notDone.run(); // the server discarded the message: what it would have created is not there
      } else if (skipped instanceof Pending.Guarded(BlastGuard guard, Runnable done)) {
        // A bounded write behind the failed message never ran: its flow must hear so, or the
        // session it suspended waits forever (red-team round 7: a Bind error hung the connection).
        guard.skipped = true;
        done.run();
      }
    }
    if (session.pending().isEmpty() && session.cycle().inCycle()) {
      // The client's Sync has not come yet, and the server now discards every message up to it:
      // so does the gateway, or it would wait forever for their answers (red-team R8).
      session.cycle().skipToSync();
    }
    steps.forEach(Runnable::run);
  }

  private void drainSynthetic() {
    while (true) {
      switch (session.pending().next()) {
        case Pending.Synthetic(var messages) -> {
          session.pending().answered();
          messages.get().forEach(session::send);
        }
        case Pending.Continuation(Runnable step) -> {
          session.pending().answered();
          step.run();
        }
        case null, default -> {
          return;
        }
      }
    }
  }

  /** Completes the audit of every statement still in flight (client or upstream gone). */
  void abandon(String why) {
    for (Pending p : session.pending().abandon()) {
      if (p instanceof Pending.Run(StatementRun run)) {
        run.failed(null, why);
        run.complete();
      }
    }
  }
}
