package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.RowBound;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Close;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Flush;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import java.util.List;

/**
 * Blast-radius approval: a write allowed under a row bound ({@code maxRowsAffected}) runs inside a
 * transaction of its own (autocommit) or a savepoint (inside the client's transaction). Its answers
 * are held until its CommandComplete gives the count; within the bound it is committed (or the
 * savepoint released) and the answers go to the client; past it, it is rolled back and an approval
 * is requested that shows the exact count. Approved, the same statement with the same parameters
 * runs once more, for real; denied, nothing changed.
 */
final class BlastRadius {

  /**
   * The savepoint a bounded write runs under. A client savepoint of the same name does no harm:
   * savepoints stack, and the gateway's is the newest while it releases or rolls back to it.
   */
  static final String SAVEPOINT = "gatehouse_blast";

  private BlastRadius() {}

  /** True when {@code verdict} bounds the rows its writes may change ({@link RowBound}). */
  static boolean applies(Verdict verdict) {
    return RowBound.applies(verdict);
  }

  static boolean countable(Verdict verdict) {
    return RowBound.countable(verdict);
  }

  static Verdict uncountable(Verdict verdict, String why) {
    return RowBound.uncountable(verdict, why);
  }

  static Verdict overBound(Verdict verdict, long rows) {
    return RowBound.overBound(verdict, rows);
  }

  static boolean inTransaction(SessionState s) {
    return s.transaction().inBlock();
  }

  /**
   * Whether the client holds a transaction block as the gateway tracks it (its last ReadyForQuery,
   * and the BEGINs, COMMITs and ROLLBACKs of the pipeline since). Then the block a BEGIN of the
   * gateway's finds is the client's, whatever that BEGIN's answer says: its warning (25001) is the
   * other sign, but a client that sets {@code client_min_messages} to {@code error} silences it,
   * and the gateway took the client's block for its own and committed it at the Sync (red-team
   * round 49).
   */
  static boolean clientBlock(SessionState s) {
    return !s.transaction().idle();
  }

  // ---- simple query --------------------------------------------------------------------

  /**
   * Runs a simple Query under the bound. A message that begins and ends its own transaction ({@code
   * BEGIN; ...; COMMIT}) is run as its middle part in the gateway's transaction; any other message
   * with transaction control cannot be counted before it commits, so it needs approval.
   */
  static void simple(FlowContext s, Frame frame, Admitted admitted, Run record) {
    String sql = ((Query) dev.gatehouse.wire.protocol.frontend.FrontendMessage.decode(frame)).sql();
    frame.release();
    BlastSimple.run(s, sql, admitted, record);
  }

  // ---- extended query ------------------------------------------------------------------

  /**
   * Runs an Execute of {@code portal} under the bound; the session is suspended meanwhile. Whether
   * a transaction is open is not reported in the middle of a pipeline: the block is the client's
   * when the gateway's tracking says so ({@link #clientBlock}) or the gateway's BEGIN is warned
   * that one is in progress, else it is the gateway's own (which it ends). The write itself runs
   * under a savepoint either way.
   */
  static void extended(
      FlowContext s, ExtendedQueryFlow flow, Frame frame, Portal portal, StatementRun run) {
    if (RowBound.copiesIn(run.verdict)) {
      String message = RowBound.copyExtended(run.verdict);
      run.failed(SqlState.INSUFFICIENT_PRIVILEGE.code(), message);
      run.complete();
      flow.refuse(frame);
      s.error(SqlState.INSUFFICIENT_PRIVILEGE, message, null, false);
      s.resume();
      return;
    }
    if (!countable(run.verdict)) {
      // The Parse and Bind answers wait in the server's buffer until a Flush: without it the
      // approval notice queued behind them and the client heard nothing until a dba decided
      // (red-team round 46). A dba is asked only once everything before the Execute was answered
      // without an error, as for any approval at Execute (ApprovedExecution).
      s.upstream().write(new Flush());
      s.upstream().flush();
      s.then(
          () -> {
            if (s.closed()) {
              run.failed(null, "not run: the client disconnected");
              run.complete();
              frame.release();
              return;
            }
            if (flow.droppedAfterFailure(frame, run)) {
              s.resume();
              return;
            }
            askForUncountable(s, flow, frame, portal, run);
          });
      return;
    }
    frame.release();
    BlastGuard begin = new BlastGuard('C', 0);
    begin.alreadyInTransaction = clientBlock(s);
    controlGuarded(s, "BEGIN", begin);
    control(s, "SAVEPOINT " + SAVEPOINT);
    BlastGuard guard = new BlastGuard('C', bound(run), RowBound.countsReads(run.verdict));
    Portal.describeFirst(s, portal, portal.bind.portal(), run);
    s.expect(new Pending.Guarded(guard, () -> extendedDone(s, flow, portal, run, guard, begin)));
    s.upstream().write(new Execute(portal.bind.portal(), 0));
    s.upstream().write(new Flush());
    s.upstream().flush();
  }

  /** A write whose rows cannot be counted: nothing runs, and the Execute waits for a dba. */
  private static void askForUncountable(
      FlowContext s, ExtendedQueryFlow flow, Frame frame, Portal portal, StatementRun run) {
    // Nothing ran: the first run's record says so, and the Execute waits for a dba.
    run.failed("42501", "not run: a write whose rows cannot be counted needs approval");
    run.complete();
    Verdict held = uncountable(run.verdict, RowBound.uncountableReason(run.verdict));
    List<String> params = portal.bind.parametersAsText();
    s.awaitApproval(
        run.admitted.escalate(held, params),
        approved -> flow.runApproved(frame, portal, approved),
        refused -> {
          flow.refuse(frame);
          Governance.refuse(s, refused, false);
        });
  }

  private static long bound(StatementRun run) {
    return run.verdict.decision().obligations().maxRowsAffected();
  }

  private static void extendedDone(
      FlowContext s,
      ExtendedQueryFlow flow,
      Portal portal,
      StatementRun run,
      BlastGuard guard,
      BlastGuard begin) {
    if (guard.skipped) {
      begin.discard();
      skipped(s, run, guard);
      return;
    }
    boolean own = !begin.alreadyInTransaction;
    begin.discard();
    if (guard.failed) {
      if (own) {
        // The server now skips to a Sync; then the gateway's own transaction is rolled back.
        s.upstream().write(new dev.gatehouse.wire.protocol.frontend.Sync());
        s.expect(new Pending.Swallow('Z'));
        control(s, "ROLLBACK");
      }
      flow.skipToSync();
      deliver(s, run, guard);
      return;
    }
    if (guard.rows <= bound(run)) {
      control(s, "RELEASE SAVEPOINT " + SAVEPOINT);
      if (own) {
        flow.ownTransactionOpen(); // committed at the client's Sync, if nothing fails before it
        portal.exhausted = Portal.endTag(run);
      }
      deliver(s, run, guard);
      return;
    }
    // Undone, and the transaction (the client's or the gateway's) stays open while a dba decides,
    // so that approved or denied, the client's transaction sees one consistent outcome.
    control(s, "ROLLBACK TO SAVEPOINT " + SAVEPOINT);
    control(s, "RELEASE SAVEPOINT " + SAVEPOINT);
    long rows = guard.rows;
    guard.discard();
    s.expect(
        new Pending.Synthetic(
            () -> {
              overBoundRun(s, run, rows);
              Verdict held = heldFor(run, rows);
              s.awaitApproval(
                  run.admitted.escalate(held, portal.bind.parametersAsText()),
                  approved -> again(s, flow, portal, approved, own),
                  refused -> {
                    if (own) {
                      control(s, "ROLLBACK");
                      s.upstream().flush();
                    }
                    flow.skipToSync();
                    Governance.refuse(s, refused, false);
                  });
              return List.of();
            }));
    s.upstream().flush();
  }

  /** The approved run: the same statement and parameters, bound to a new portal, once. */
  private static void again(
      FlowContext s, ExtendedQueryFlow flow, Portal portal, Admitted approved, boolean own) {
    Run audit;
    try {
      audit = approved.start(portal.bind.parametersAsText());
    } catch (RuntimeException e) {
      if (own) {
        control(s, "ROLLBACK");
      }
      flow.skipToSync();
      Governance.auditUnavailable(s, e, false);
      s.resume();
      return;
    }
    // The approved write goes upstream only once its record is durable (ADR 0004).
    s.whenDone(
        audit.durable(),
        (done, error) -> {
          if (error != null) {
            if (own) {
              control(s, "ROLLBACK");
              s.upstream().flush();
            }
            flow.skipToSync();
            Governance.auditUnavailable(s, error, false);
            s.resume();
            return;
          }
          runApproved(s, flow, portal, approved, audit, own);
        });
  }

  private static void runApproved(
      FlowContext s,
      ExtendedQueryFlow flow,
      Portal portal,
      Admitted approved,
      Run audit,
      boolean own) {
    StatementRun run = new StatementRun(approved, audit, portal);
    if (!sameSearchPath(s, flow, portal, run, own)) {
      return;
    }
    if (RowBound.applies(approved.verdict())) {
      counted(s, flow, portal, run, own);
      return;
    }
    String name = parseAndBind(s, portal, run);
    Portal.describeFirst(s, portal, name, run);
    s.upstream().write(new Execute(name, 0));
    s.upstream().write(new Close('P', name));
    s.upstream().write(new Flush());
    s.expect(new Pending.Run(run));
    s.expect(new Pending.Swallow('3'));
    // A continuation: when the approved run fails, the server skips the Close after it, and the
    // step must still be taken or the session stays suspended.
    s.expect(
        new Pending.Continuation(
            () -> {
              if (run.sqlState == null) {
                if (own) {
                  flow.ownTransactionOpen(); // committed at the client's Sync
                }
              } else {
                // The server skips to a Sync after the error; the client's own Sync ends it.
                flow.skipToSync();
              }
              s.then(s::resume);
              s.upstream().flush();
            }));
    s.upstream().flush();
  }

  /**
   * The approved run, counted again under the count its approver was shown (red-team R5): within
   * it, it is kept; past it, it is undone and asks again with the new count.
   */
  private static void counted(
      FlowContext s, ExtendedQueryFlow flow, Portal portal, StatementRun run, boolean own) {
    control(s, "SAVEPOINT " + SAVEPOINT);
    String name = parseAndBind(s, portal, run);
    BlastGuard begin = new BlastGuard('C', 0);
    begin.alreadyInTransaction = !own;
    BlastGuard guard = new BlastGuard('C', bound(run), RowBound.countsReads(run.verdict));
    Portal.describeFirst(s, portal, name, run);
    s.expect(new Pending.Guarded(guard, () -> extendedDone(s, flow, portal, run, guard, begin)));
    s.upstream().write(new Execute(name, 0));
    s.upstream().write(new Flush());
    s.upstream().flush();
  }

  /**
   * Parses the portal's own statement text under a name of the gateway's and binds the portal's
   * parameters to it: the approved run is the text and parameters that were judged and approved,
   * whatever the client's statement name holds by now. A portal outlives its statement in
   * PostgreSQL, so the client may have closed or replaced that statement since its Bind (red-team
   * round 19: an approved no-op UPDATE ran as a no-WHERE UPDATE, or as an UPDATE … RETURNING of
   * unmasked columns, parsed under the unnamed statement's name after the Bind). Closing a
   * statement or portal that does not exist is no error, so the name is free either way.
   */
  private static String parseAndBind(UpstreamSide s, Portal portal, StatementRun run) {
    String name = s.controlName() + "_run";
    Parse parse = portal.statement.parse;
    Bind b = portal.bind;
    s.upstream().write(new Close('P', name));
    s.upstream().write(new Close('S', name));
    s.upstream().write(new Parse(name, parse.sql(), parse.parameterTypes()));
    s.upstream()
        .write(new Bind(name, name, b.parameterFormats(), b.parameters(), b.resultFormats()));
    s.expect(new Pending.RunSetup('3', run));
    s.expect(new Pending.RunSetup('3', run));
    s.expect(new Pending.RunSetup('1', run));
    s.expect(new Pending.RunSetup('2', run));
    return name;
  }

  /**
   * True when the session's search_path is the one the statement was analysed under, so its text
   * parsed again resolves its names as they were judged. Else the approved run is refused (42501),
   * its record says why, and the gateway's own transaction is rolled back.
   */
  private static boolean sameSearchPath(
      FlowContext s, ExtendedQueryFlow flow, Portal portal, StatementRun run, boolean own) {
    if (portal.statement.searchPath.equals(s.settings().searchPath())) {
      return true;
    }
    String message =
        "the approved statement was not run: search_path changed since it was prepared, so its"
            + " names could now mean other tables; prepare and execute it again";
    run.failed(SqlState.INSUFFICIENT_PRIVILEGE.code(), message);
    run.complete();
    if (own) {
      control(s, "ROLLBACK");
      s.upstream().flush();
    }
    flow.skipToSync();
    s.error(SqlState.INSUFFICIENT_PRIVILEGE, message, null, false);
    s.resume();
    return false;
  }

  /** Why a counted run past its bound waits: the grant's bound, or the count an approver saw. */
  static Verdict heldFor(StatementRun run, long rows) {
    return run.admitted.approvalId() != null
        ? RowBound.overApproved(run.verdict, rows)
        : RowBound.overBound(run.verdict, rows);
  }

  /** A control statement of the gateway's own, on a statement name clients cannot know. */
  static void control(UpstreamSide s, String sql) {
    String name = s.controlName();
    s.upstream().write(new Parse(name, sql, List.of()));
    s.upstream().write(new Bind(name, name, List.of(), List.of(), List.of()));
    s.upstream().write(new Execute(name, 0));
    // Closing the statement leaves the named portal open until the transaction ends: close both.
    s.upstream().write(new Close('P', name));
    s.upstream().write(new Close('S', name));
    s.upstream().write(new Flush());
    s.expect(new Pending.Swallow('1'));
    s.expect(new Pending.Swallow('2'));
    s.expect(new Pending.Swallow('C'));
    s.expect(new Pending.Swallow('3'));
    s.expect(new Pending.Swallow('3'));
  }

  /** A control statement whose CommandComplete (and notices) {@code guard} receives. */
  static void controlGuarded(UpstreamSide s, String sql, BlastGuard guard) {
    String name = s.controlName();
    s.upstream().write(new Parse(name, sql, List.of()));
    s.upstream().write(new Bind(name, name, List.of(), List.of(), List.of()));
    s.upstream().write(new Execute(name, 0));
    // Closing the statement leaves the named portal open until the transaction ends: close both.
    s.upstream().write(new Close('P', name));
    s.upstream().write(new Close('S', name));
    s.expect(new Pending.Swallow('1'));
    s.expect(new Pending.Swallow('2'));
    s.expect(new Pending.Guarded(guard, () -> {}));
    s.expect(new Pending.Swallow('3'));
    s.expect(new Pending.Swallow('3'));
  }

  /** Sends the held answers to the client through the run, then takes client messages again. */
  private static void deliver(FlowContext s, StatementRun run, BlastGuard guard) {
    s.expect(
        new Pending.Synthetic(
            () -> {
              for (Frame f : guard.held) {
                s.relay().results().frame(run, f.typeChar(), UpstreamErrors.redact(s, run, f));
              }
              guard.held.clear();
              s.resume();
              return List.of();
            }));
    s.upstream().flush();
  }

  /**
   * A bounded write PostgreSQL skipped, discarding up to the client's Sync after an earlier message
   * of the pipeline failed: nothing of it ran, its record says so, and the session goes on.
   */
  static void skipped(FlowContext s, StatementRun run, BlastGuard guard) {
    guard.discard();
    String[] why = s.cycle().skippedBecause(run);
    run.failed(why[0], why[1]);
    run.complete();
    s.resume();
  }

  /** The record of the rolled-back first run says why nothing changed. */
  static void overBoundRun(FlowContext s, StatementRun run, long rows) {
    run.failed(SqlState.INSUFFICIENT_PRIVILEGE.code(), RowBound.rolledBack(run.verdict, rows));
    run.complete();
  }
}
