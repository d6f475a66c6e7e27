package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Flush;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.util.List;

/**
 * An Execute of a statement that needs approval. The statement was prepared (on the session's own
 * connection, so Parse, Describe and Bind are answered at once); admission is asked here, with the
 * portal's parameters, once every earlier message of the pipeline was answered without an error,
 * and the approval is used by this one Execute: the next Execute, of this portal or another, asks
 * again. Approved, it runs as the decision's role on a connection of its own ({@link ElevatedRun})
 * or, when that is the session's role already, on the session's.
 */
final class ApprovedExecution {

  private ApprovedExecution() {}

  static void execute(FlowContext s, ExtendedQueryFlow flow, Frame frame, Portal portal) {
    List<String> params = portal.bind.parametersAsText();
    if (s.upstream() != null) {
      // Parse/Bind answers wait in the server's buffer until a Flush: without it the notice
      // below would queue behind them while the client waits for nothing.
      s.upstream().write(new Flush());
      s.upstream().flush();
    }
    // A human is asked only once everything before this Execute was answered, its Bind included:
    // if any of it failed, PostgreSQL skips this Execute, and nobody is asked to approve a
    // statement that will not run (red-team round 18: after a Bind that failed upstream, the
    // session waited for an approval of an Execute PostgreSQL had dropped).
    s.suspend();
    s.then(
        () -> {
          if (s.closed()) {
            frame.release();
            return;
          }
          if (s.cycle().skipping()) {
            flow.refuse(frame); // dropped unanswered, as PostgreSQL drops it
            s.resume();
            return;
          }
          String cannot =
              ElevatedRun.beforeExecute(
                  s, portal.statement.awaiting.verdict(), portal.bind.portal());
          if (cannot != null) {
            // Asked for nothing (red-team round 33: a dba approved, then the run was refused).
            flow.refuse(frame);
            Governance.refuse(
                s,
                portal.statement.awaiting.forExecution(params).refusedBeforeAsking(cannot),
                false);
            s.resume();
            return;
          }
          s.awaitApproval(
              portal.statement.awaiting.forExecution(params),
              admitted -> run(s, flow, frame, portal, admitted),
              refused -> {
                flow.refuse(frame);
                Governance.refuse(s, refused, false);
              });
        });
  }

  private static void run(
      FlowContext s, ExtendedQueryFlow flow, Frame frame, Portal portal, Admitted admitted) {
    Run record;
    try {
      record = admitted.start(portal.bind.parametersAsText());
    } catch (RuntimeException e) {
      flow.refuse(frame);
      Governance.auditUnavailable(s, e, false);
      s.resume();
      return;
    }
    s.whenDone(
        record.durable(),
        (done, error) -> {
          if (error != null) {
            flow.refuse(frame);
            Governance.auditUnavailable(s, error, false);
            s.resume();
            return;
          }
          StatementRun run = new StatementRun(admitted, record, portal);
          if (flow.droppedAfterFailure(frame, run)) {
            s.resume();
            return;
          }
          if (!ElevatedRun.needed(s, admitted.verdict())) {
            if (BlastRadius.applies(admitted.verdict())) {
              // Approved with no count shown, a write stays under its grant's bound: counted as
              // any bounded write, undone past it and asked for again with its count (red-team
              // round 55: a taint hold's approved 150-row UPDATE was forwarded uncounted).
              flow.bounded(frame, portal, run);
              return;
            }
            portal.approvedRun = admitted; // a later Execute of the portal fetches on
            flow.forward(frame, new Pending.Run(run));
            s.resume();
            return;
          }
          if (s.moreBeforeSync(portal.bind.portal())) {
            // The client sent more of its pipeline while the approval was pending.
            flow.refuse(frame);
            String role = admitted.verdict().decision().obligations().upstreamRole();
            s.error(SqlState.INSUFFICIENT_PRIVILEGE, ElevatedRun.followed(role), null, false);
            run.failed("42501", "not run: " + ElevatedRun.followed(role));
            run.complete();
            s.resume();
            return;
          }
          frame.release();
          Parse parse = portal.statement.parse;
          Bind bind = portal.bind;
          List<FrontendMessage> messages = new java.util.ArrayList<>();
          List<Pending> expected = new java.util.ArrayList<>();
          messages.add(new Parse("", parse.sql(), parse.parameterTypes()));
          expected.add(new Pending.Swallow('1'));
          messages.add(
              new Bind("", "", bind.parameterFormats(), bind.parameters(), bind.resultFormats()));
          expected.add(new Pending.Swallow('2'));
          if (!portal.describeSent && portal.rows() == null) {
            // Its rows are masked by their columns: described here if the client never asked.
            portal.describeSent = true;
            messages.add(new dev.gatehouse.wire.protocol.frontend.Describe('P', ""));
            expected.add(new Pending.HiddenDescribe(portal, run));
          }
          messages.add(new Execute("", 0));
          expected.add(new Pending.Run(run));
          messages.add(new Sync());
          expected.add(new Pending.Swallow('Z'));
          ElevatedRun.run(
              s,
              admitted.verdict(),
              portal.statement.searchPath,
              messages,
              expected,
              () -> {
                flow.skipToSync();
                run.failed("42501", "not run: the approved statement could not run");
                run.complete();
              },
              () -> {
                run.failed(null, "not run: an earlier message in the pipeline failed");
                run.complete();
              },
              () -> {
                if (run.sqlState != null) {
                  flow.skipToSync(); // as the server skips after an error
                } else {
                  // It ran to its end on the one-time connection; the session's own portal of
                  // that name never ran. Another Execute of it runs nothing, as in PostgreSQL.
                  portal.exhausted = Portal.endTag(run);
                  // It committed there: nothing may follow it before the Sync (red-team round 35).
                  flow.elevatedRan();
                }
              });
        });
  }

  /** A simple Query approved for another role: recorded, then run once as that role. */
  static void simple(FlowContext s, Frame frame, Admitted admitted) {
    String sql = ((Query) FrontendMessage.decode(frame)).sql();
    frame.release();
    Run record;
    try {
      record = admitted.start(List.of());
    } catch (RuntimeException e) {
      Governance.auditUnavailable(s, e, true);
      s.resume();
      return;
    }
    s.whenDone(
        record.durable(),
        (done, error) -> {
          if (error != null) {
            Governance.auditUnavailable(s, error, true);
            s.resume();
            return;
          }
          StatementRun run = new StatementRun(admitted, record, null);
          // A masked COPY is described first on the one-time connection too, as on the session's.
          List<FrontendMessage> messages = new java.util.ArrayList<>(CopyFlow.describe(run));
          List<Pending> expected = new java.util.ArrayList<>();
          if (!messages.isEmpty()) {
            expected.add(new Pending.CopyDescribe(run));
          }
          messages.add(new Query(sql));
          expected.add(new Pending.Run(run));
          ElevatedRun.run(
              s,
              admitted.verdict(),
              s.settings().searchPath(), // the session took nothing since its admission
              messages,
              expected,
              () -> {
                run.failed("42501", "not run: the approved statement could not run");
                run.complete();
              },
              () -> {
                run.failed(null, "not run: an earlier message in the pipeline failed");
                run.complete();
              },
              () -> {});
        });
  }
}
