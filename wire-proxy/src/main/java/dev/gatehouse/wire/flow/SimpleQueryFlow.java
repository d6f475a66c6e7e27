package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.sql.PlainRead;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.SqlState;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Query;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The simple query protocol: one Query message (possibly several statements, judged as a whole),
 * answered by results and ReadyForQuery. The decision is taken once per message; a denial is an
 * ERROR 42501 followed by ReadyForQuery, and the connection stays usable.
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY">Simple
 *     query</a>
 */
final class SimpleQueryFlow {

  private final Session session;

  SimpleQueryFlow(Session session) {
    this.session = session;
  }

  void query(Frame frame) {
    Query query = (Query) FrontendMessage.decode(frame);
    if (!session.tokenValid()) {
      frame.release();
      return;
    }
    if (query.sql().isBlank() && session.upstream == null) {
      frame.release();
      session.answer(
          () ->
              List.of(
                  new dev.gatehouse.wire.protocol.backend.EmptyQueryResponse(),
                  ResultRelay.ready(session)));
      return;
    }
    Frame rewritten = frame;
    switch (session.transaction.action(query.sql())) {
      case REFUSE -> {
        frame.release();
        session.error(SqlState.IN_FAILED_SQL_TRANSACTION, TransactionGuard.MESSAGE, null, true);
        return;
      }
      case ROLLBACK -> rewritten = rewrite(frame, new Query("ROLLBACK"));
      case DECIDE, RECOVER -> {}
    }
    Frame outgoing = rewritten;
    Verdict verdict = Governance.decide(session, query.sql(), true);
    if (verdict == null) {
      outgoing.release();
      return;
    }
    switch (verdict.decision().effect()) {
      case DENY -> {
        outgoing.release();
        Governance.deny(session, verdict, List.of(), true);
      }
      case REQUIRE_APPROVAL ->
          session.approvals.await(
              verdict,
              query.sql(),
              List.of(),
              approvalId -> run(outgoing, verdict, approvalId),
              (state, message) -> {
                outgoing.release();
                session.error(state, message, verdict.decision().explanation(), true);
              });
      case ALLOW -> run(outgoing, verdict, null);
    }
  }

  /**
   * Connects as the decision's role, then sends the query: a plain read at once (its answers wait
   * for its audit record), anything else once its audit record is durable.
   */
  private void run(Frame frame, Verdict verdict, UUID approvalId) {
    session.suspend();
    // approvals-bound: an approved statement of another role runs on a connection of its own.
    if (approvalId != null && ElevatedRun.needed(session, verdict)) {
      ApprovedExecution.simple(session, frame, verdict, approvalId);
      return;
    }
    session.whenDone(
        session.ensureUpstream(verdict),
        (ignored, upstreamError) -> {
          if (upstreamError != null) {
            frame.release();
            Governance.upstreamFailed(session, upstreamError, true);
            session.resume();
            return;
          }
          StatementAudit audit;
          try {
            audit = Governance.record(session, verdict, List.of(), approvalId);
          } catch (RuntimeException e) {
            frame.release();
            Governance.auditUnavailable(session, e, true);
            session.resume();
            return;
          }
          CompletableFuture<Void> durable = audit.durable();
          if (early(verdict, approvalId, durable)) {
            // Nothing to undo if the record fails: the read runs while its record commits, and
            // only its answers wait for it.
            StatementRun run = new StatementRun(verdict, audit, null);
            session.hold.await(run, durable);
            session.pending.add(new Pending.Run(run));
            session.upstream.write(frame);
            session.resume();
            return;
          }
          session.whenDone(
              durable,
              (done, auditError) -> {
                if (auditError != null) {
                  frame.release();
                  Governance.auditUnavailable(session, auditError, true);
                } else if (BlastRadius.applies(verdict)) {
                  // approvals-bound: a write under a row bound; resumes once its count is known.
                  try {
                    BlastRadius.simple(session, frame, verdict, audit);
                  } catch (RuntimeException e) {
                    session.fatal(SqlState.INTERNAL_ERROR, "internal error in the gateway: " + e);
                  }
                  return;
                } else {
                  session.pending.add(new Pending.Run(new StatementRun(verdict, audit, null)));
                  session.upstream.write(frame);
                }
                session.resume();
              });
        });
  }

  /**
   * True when a statement may go upstream before its record is durable: a plain read, not run on an
   * approval, whose record is not already known to have failed (then it is refused as before).
   */
  static boolean early(Verdict verdict, UUID approvalId, CompletableFuture<Void> durable) {
    return approvalId == null
        && !durable.isCompletedExceptionally()
        && PlainRead.test(verdict.analysis());
  }

  /** Replaces a client message by one the gateway writes (the ROLLBACK of an aborted block). */
  private Frame rewrite(Frame original, Query replacement) {
    original.release();
    io.netty.buffer.ByteBuf out = session.client.alloc().buffer();
    replacement.encode(out);
    return new Frame((byte) 'Q', out);
  }

  /** FunctionCall (the fast-path interface) bypasses SQL analysis, so it is always refused. */
  void functionCall(Frame frame) {
    frame.release();
    session.error(
        SqlState.INSUFFICIENT_PRIVILEGE,
        "permission denied by gatehouse: the function call protocol is not allowed; call the"
            + " function in a SQL statement instead",
        null,
        true);
  }
}
