package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Query;
import java.util.List;

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

  private final FlowContext session;

  SimpleQueryFlow(FlowContext session) {
    this.session = session;
  }

  void query(Frame frame) {
    Query query = (Query) FrontendMessage.decode(frame);
    if (!session.tokenValid()) {
      frame.release();
      return;
    }
    // PostgreSQL drops the unnamed statement and portal at every simple Query (a Query waits for
    // every earlier answer, so nothing owed uses them): the gateway forgets them too, or a Bind
    // after the Query would be judged as a statement PostgreSQL no longer holds (red-team round 18:
    // an etl-nightly session waited for approval of an UPDATE PostgreSQL had dropped).
    session.prepared().close('S', "");
    session.prepared().close('P', "");
    if (query.sql().isBlank() && session.upstream() == null) {
      frame.release();
      session.answer(
          () ->
              List.of(
                  new dev.gatehouse.wire.protocol.backend.EmptyQueryResponse(),
                  ResultRelay.ready(session)));
      return;
    }
    if (session.cycle().skipping()) {
      // A Query inside a pipeline that failed before its Sync: PostgreSQL discards it unanswered,
      // as every message up to the Sync (red-team round 9: it ran, and committed the writes
      // before a refusal; or, sent to a server that discarded it, the session hung).
      frame.release();
      return;
    }
    if (session.cycle().afterElevatedRun()) {
      frame.release();
      session.error(
          SqlState.INSUFFICIENT_PRIVILEGE,
          "an approved statement ran before this Query in its pipeline as another upstream role,"
              + " on a connection of its own where it committed at once: nothing after it can run"
              + " before the pipeline's Sync; send a Sync first",
          null,
          true);
      return;
    }
    if (session.cycle().refusesSimpleQuery()) {
      frame.release();
      session.error(
          SqlState.FEATURE_NOT_SUPPORTED,
          "a simple Query cannot follow a bounded write before the pipeline's Sync (the write runs"
              + " in a transaction the gateway ends at the Sync): the pipeline's statements were"
              + " rolled back; send Sync before a simple Query",
          null,
          true);
      return;
    }
    Frame rewritten = frame;
    switch (session.transaction().at(query.sql())) {
      case REFUSE -> {
        frame.release();
        session.error(SqlState.IN_FAILED_SQL_TRANSACTION, TransactionGuard.MESSAGE, null, true);
        return;
      }
      case ROLLBACK -> {
        if (!TransactionGuard.alone(query.sql())) {
          // PostgreSQL would end the block and run the rest; rewritten whole, the rest would be
          // dropped unanswered and recorded as run (red-team round 21). Refused instead.
          frame.release();
          session.error(
              SqlState.IN_FAILED_SQL_TRANSACTION,
              TransactionGuard.MESSAGE
                  + "; end the failed block with COMMIT or ROLLBACK on its own",
              null,
              true);
          return;
        }
        // COMMIT of a failed block rolls back, as in PostgreSQL; AND CHAIN opens the next block
        // (red-team round 21: it was lost, and the client's later statements committed alone).
        boolean chain = TransactionGuard.chains(query.sql());
        rewritten = rewrite(frame, new Query(chain ? "ROLLBACK AND CHAIN" : "ROLLBACK"));
        session.settings().cursors().rolledBack(); // a WITH HOLD cursor of the block goes too
        if (chain) {
          session.transaction().recovered(); // the next block has not failed
        }
      }
      case RECOVER -> session.transaction().recovered(); // sent as it is, now
      case DECIDE -> {}
    }
    Frame outgoing = rewritten;
    Governance.admit(
        session,
        query.sql(),
        admission -> admitted(outgoing, admission),
        error -> {
          outgoing.release();
          Governance.admissionFailed(session, true);
        });
  }

  /** On the loop once admission answered; the session takes nothing else until it resumes. */
  private void admitted(Frame outgoing, Admission admission) {
    if (session.closed()) {
      outgoing.release(); // nothing was started for it: no record, no approval request
      return;
    }
    if (session.cycle().skipping()) {
      // An earlier message of the pipeline failed upstream while this Query was judged.
      outgoing.release();
      session.resume();
      return;
    }
    switch (admission) {
      case Refused refused -> {
        outgoing.release();
        Governance.refuse(session, refused, true);
        session.resume();
      }
      case AwaitingApproval awaiting
          when ElevatedRun.before(session, awaiting.verdict()) != null -> {
        // Asked for nothing, as for an Execute (red-team round 34: in a block, or with BEGIN in
        // the same Query, a dba approved and the run was then refused).
        outgoing.release();
        Governance.refuse(
            session,
            awaiting.refusedBeforeAsking(ElevatedRun.before(session, awaiting.verdict())),
            true);
        session.resume();
      }
      case AwaitingApproval awaiting ->
          session.awaitApproval(
              awaiting,
              approved -> run(outgoing, approved),
              refused -> {
                outgoing.release();
                Governance.refuse(session, refused, true);
              });
      case Admitted admitted -> run(outgoing, admitted);
    }
  }

  /**
   * Connects as the decision's role, then sends the query when admission says it may: a plain read
   * at once (its answers wait for its audit record), anything else once its record is durable.
   */
  private void run(Frame frame, Admitted admitted) {
    session.suspend();
    // A statement a human approved is counted when it runs, never refused (RunningSlot).
    if (admitted.approvalId() == null
        && !Governance.claimRunningSlot(session, admitted, List.of(), true)) {
      frame.release();
      session.resume();
      return;
    }
    // an approved statement of another role runs on a connection of its own.
    if (admitted.approvalId() != null && ElevatedRun.needed(session, admitted.verdict())) {
      ApprovedExecution.simple(session, frame, admitted);
      return;
    }
    session.whenDone(
        session.ensureUpstream(admitted.verdict()),
        (ignored, upstreamError) -> {
          if (upstreamError != null) {
            frame.release();
            Governance.upstreamFailed(session, upstreamError, true);
            session.resume();
            return;
          }
          Run record;
          try {
            record = admitted.start(List.of());
          } catch (RuntimeException e) {
            frame.release();
            Governance.auditUnavailable(session, e, true);
            session.resume();
            return;
          }
          if (record.timing() == Run.Timing.RUN_NOW) {
            // Nothing to undo if the record fails: the read runs while its record commits, and
            // only its answers wait for it.
            StatementRun run = new StatementRun(admitted, record, null);
            if (skipped(frame, run)) {
              return;
            }
            session.hold().await(run, record.durable());
            CopyFlow.describeFirst(session, run);
            session.expect(new Pending.Run(run));
            session.upstream().write(frame);
            session.resume();
            return;
          }
          session.whenDone(
              record.durable(),
              (done, auditError) -> {
                if (auditError != null) {
                  frame.release();
                  Governance.auditUnavailable(session, auditError, true);
                } else if (skipped(frame, new StatementRun(admitted, record, null))) {
                  return;
                } else if (BlastRadius.applies(admitted.verdict())) {
                  // a write under a row bound; resumes once its count is known.
                  try {
                    BlastRadius.simple(session, frame, admitted, record);
                  } catch (RuntimeException e) {
                    session.fatal(SqlState.INTERNAL_ERROR, "internal error in the gateway: " + e);
                  }
                  return;
                } else {
                  StatementRun run = new StatementRun(admitted, record, null);
                  if (CopyFlow.describeOrRefuse(session, run)) {
                    frame.release();
                  } else {
                    session.expect(new Pending.Run(run));
                    session.upstream().write(frame);
                  }
                }
                session.resume();
              });
        });
  }

  /**
   * True, with the Query dropped unanswered and its record closed as not run, when an earlier
   * message of the client's pipeline failed upstream meanwhile: the server discards the Query. The
   * session is resumed.
   */
  private boolean skipped(Frame frame, StatementRun run) {
    if (!session.cycle().skipping()) {
      return false;
    }
    frame.release();
    run.failed(null, "not run: an earlier message in the pipeline failed");
    run.complete();
    session.resume();
    return true;
  }

  /** Replaces a client message by one the gateway writes (the ROLLBACK of an aborted block). */
  private Frame rewrite(Frame original, Query replacement) {
    original.release();
    io.netty.buffer.ByteBuf out = session.alloc().buffer();
    replacement.encode(out);
    return new Frame((byte) 'Q', out);
  }

  /** FunctionCall (the fast-path interface) bypasses SQL analysis, so it is always refused. */
  void functionCall(Frame frame) {
    frame.release();
    // Refused, it fails as a Query would: after a bounded write before the Sync, the pipeline's
    // statements are rolled back (red-team round 11: the row stayed locked, the Sync committed).
    session.cycle().refusesSimpleQuery();
    session.error(
        SqlState.INSUFFICIENT_PRIVILEGE,
        "permission denied by gatehouse: the function call protocol is not allowed; call the"
            + " function in a SQL statement instead",
        null,
        true);
  }
}
