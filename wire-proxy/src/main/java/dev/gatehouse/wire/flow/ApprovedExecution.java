package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Flush;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.util.List;
import java.util.UUID;

/**
 * An Execute of a statement that needs approval. The statement was prepared (on the session's own
 * connection, so Parse, Describe and Bind are answered at once); the request is made here, with the
 * portal's parameters, and the approval is used by this one Execute: the next Execute, of this
 * portal or another, asks again. Approved, it runs as the decision's role on a connection of its
 * own ({@link ElevatedRun}) or, when that is the session's role already, on the session's.
 */
final class ApprovedExecution {

  private ApprovedExecution() {}

  static boolean needsApproval(Portal portal) {
    return portal.statement.verdict.decision().effect()
        == dev.gatehouse.engine.policy.Effect.REQUIRE_APPROVAL;
  }

  static void execute(Session s, ExtendedQueryFlow flow, Frame frame, Portal portal) {
    Verdict verdict = portal.statement.verdict;
    String sql = portal.statement.parse.sql();
    List<String> params = portal.bind.parametersAsText();
    if (s.upstream != null) {
      // Parse/Bind answers wait in the server's buffer until a Flush: without it the notice
      // below would queue behind them while the client waits for nothing.
      s.upstream.write(new Flush());
      s.upstream.flush();
    }
    s.approvals.await(
        verdict,
        sql,
        params,
        approvalId -> run(s, flow, frame, portal, approvalId),
        (state, message) -> {
          flow.refuse(frame);
          s.error(state, message, verdict.decision().explanation(), false);
        });
  }

  private static void run(
      Session s, ExtendedQueryFlow flow, Frame frame, Portal portal, UUID approvalId) {
    Verdict verdict = portal.statement.verdict;
    StatementAudit audit;
    try {
      audit = Governance.record(s, verdict, portal.bind.parametersAsText(), approvalId);
    } catch (RuntimeException e) {
      flow.refuse(frame);
      Governance.auditUnavailable(s, e, false);
      s.resume();
      return;
    }
    s.whenDone(
        audit.durable(),
        (done, error) -> {
          if (error != null) {
            flow.refuse(frame);
            Governance.auditUnavailable(s, error, false);
            s.resume();
            return;
          }
          StatementRun run = new StatementRun(verdict, audit, portal);
          if (!ElevatedRun.needed(s, verdict)) {
            flow.forward(frame, new Pending.Run(run));
            s.resume();
            return;
          }
          frame.release();
          Parse parse = portal.statement.parse;
          Bind bind = portal.bind;
          List<FrontendMessage> messages =
              List.of(
                  new Parse("", parse.sql(), parse.parameterTypes()),
                  new Bind(
                      "", "", bind.parameterFormats(), bind.parameters(), bind.resultFormats()),
                  new Execute("", 0),
                  new Sync());
          List<Pending> expected =
              List.of(
                  new Pending.Swallow('1'),
                  new Pending.Swallow('2'),
                  new Pending.Run(run),
                  new Pending.Swallow('Z'));
          ElevatedRun.run(
              s,
              verdict,
              messages,
              expected,
              () -> {
                flow.skipToSync();
                run.failed("42501", "not run: the approved statement could not run");
                run.complete();
              },
              () -> {
                if (run.sqlState != null) {
                  flow.skipToSync(); // as the server skips after an error
                }
              });
        });
  }

  /** A simple Query approved for another role: recorded, then run once as that role. */
  static void simple(Session s, Frame frame, Verdict verdict, UUID approvalId) {
    String sql = ((Query) FrontendMessage.decode(frame)).sql();
    frame.release();
    StatementAudit audit;
    try {
      audit = Governance.record(s, verdict, List.of(), approvalId);
    } catch (RuntimeException e) {
      Governance.auditUnavailable(s, e, true);
      s.resume();
      return;
    }
    s.whenDone(
        audit.durable(),
        (done, error) -> {
          if (error != null) {
            Governance.auditUnavailable(s, error, true);
            s.resume();
            return;
          }
          StatementRun run = new StatementRun(verdict, audit, null);
          ElevatedRun.run(
              s,
              verdict,
              List.of(new Query(sql)),
              List.of(new Pending.Run(run)),
              () -> {
                run.failed("42501", "not run: the approved statement could not run");
                run.complete();
              },
              () -> {});
        });
  }
}
