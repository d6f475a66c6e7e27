package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.RowBound;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.upstream.UpstreamConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Role isolation: an approved statement whose decision names another upstream role than the
 * session's runs on a connection of its own, opened as that role for this one execution and closed
 * right after. The session's own connection, its prepared statements, portals, settings and
 * temporary objects are never touched by the other role, and nothing of the other role's session
 * carries over: the next statement runs where it would have run had the approval never happened.
 */
final class ElevatedRun {

  private ElevatedRun() {}

  /** True when {@code verdict} must not run on the session's own connection. */
  static boolean needed(UpstreamSide s, Verdict verdict) {
    String role = verdict.decision().obligations().upstreamRole();
    return s.upstream() == null || role == null || !role.equals(s.upstream().role());
  }

  /**
   * Runs {@code messages} (ending with Sync or a Query) on a one-time connection as the verdict's
   * role; {@code expected} are the answers they give. The session must be suspended; it is resumed
   * when the run is over, after {@code after}. {@code refused} runs when the run cannot happen, and
   * {@code skipped} when an earlier message of the client's pipeline failed upstream.
   */
  static void run(
      FlowContext s,
      Verdict verdict,
      List<String> searchPath,
      List<FrontendMessage> messages,
      List<Pending> expected,
      Runnable refused,
      Runnable skipped,
      Runnable after) {
    String role = verdict.decision().obligations().upstreamRole();
    String problem = problem(s, verdict, role);
    if (problem != null) {
      refused.run();
      s.error(SqlState.INSUFFICIENT_PRIVILEGE, problem, null, ready(messages));
      s.resume();
      return;
    }
    // Starts once every earlier answer reached the client: the session's connection is idle then.
    // Unless one of them was an error: the server then discards the client's messages up to its
    // Sync, this Execute with them, so the statement does not run on a connection of its own
    // either (red-team round 8: it ran, or the session hung, when the error came after approval).
    s.then(
        () -> {
          if (s.cycle().skipping()) {
            skipped.run();
            s.resume();
          } else {
            open(s, verdict, role, searchPath, messages, expected, refused, after);
          }
        });
  }

  private static boolean ready(List<FrontendMessage> messages) {
    return messages.getLast() instanceof dev.gatehouse.wire.protocol.frontend.Query;
  }

  /**
   * Why an approval of {@code verdict} would be for nothing, or null: its decision names a role
   * other than the session's, and the run as that role could not happen here (in a transaction, or
   * after statements of its pipeline). Asked before anyone is asked to approve (red-team round 33:
   * the dba approved, then the run was refused). Null when the decision names no role yet.
   */
  static String before(FlowContext s, Verdict verdict) {
    String role = verdict.decision().obligations().upstreamRole();
    if (role == null || !needed(s, verdict)) {
      return null;
    }
    return problem(s, verdict, role);
  }

  /**
   * As {@link #before}, for an Execute: also refused when the client's pipeline holds more before
   * its Sync. The run commits on its own connection at once, while PostgreSQL would undo it with
   * the rest of the implicit transaction if a later message failed (red-team round 35: an approved
   * UPDATE followed by {@code SELECT 1/0} stayed committed).
   */
  static String beforeExecute(FlowContext s, Verdict verdict, String portal) {
    String cannot = before(s, verdict);
    if (cannot != null) {
      return cannot;
    }
    String role = verdict.decision().obligations().upstreamRole();
    return role != null && needed(s, verdict) && s.moreBeforeSync(portal) ? followed(role) : null;
  }

  /** Why an approved run as {@code role} cannot have statements after it before the Sync. */
  static String followed(String role) {
    return "the approved statement must run as upstream role `"
        + role
        + "` on a connection of its own, where it commits at once: the statements after it in this"
        + " pipeline could not be undone with it; send a Sync right after its Execute";
  }

  private static String problem(FlowContext s, Verdict verdict, String role) {
    if (role == null) {
      return "the decision names no upstream role";
    }
    if (!s.transaction().idle()) {
      return "the approved statement must run as upstream role `"
          + role
          + "`, which cannot happen inside a transaction; run it on its own, outside a"
          + " transaction";
    }
    if (RowBound.applies(verdict)) {
      // Its rows are counted nowhere on a one-time connection: approved without a count shown, it
      // would run past its grant's bound unseen (found beside red-team round 55, where an approved
      // run on the session's own role went uncounted).
      return "the approved statement must run as upstream role `"
          + role
          + "` on a connection of its own, where the rows it writes cannot be counted under its"
          + " grant's bound of "
          + RowBound.of(verdict)
          + " rows, so it is not run here (a grant for another role runs here only without"
          + " maxRowsAffected)";
    }
    if (s.cycle().executedInCycle()) {
      return "the approved statement must run as upstream role `"
          + role
          + "` on a connection of its own, which cannot join the statements before it in this"
          + " pipeline (one transaction up to the Sync); send a Sync before it";
    }
    for (StatementInfo info : verdict.analysis().statements()) {
      if (info.statementClass() == StatementClass.TRANSACTION) {
        return "the approved statement runs as upstream role `"
            + role
            + "` in a transaction of its own, so it must not begin or end transactions; send it"
            + " on its own";
      }
      if (info.statementClass() == StatementClass.SESSION
          || SESSION_NAMES.contains(info.commandTag())) {
        // Red-team round 34: a PREPARE ran on the one-time connection and was gone with it, while
        // the client heard PREPARE; its EXECUTE was then approved again and failed there.
        return "the approved statement runs as upstream role `"
            + role
            + "` on a connection of its own that ends with it, so a "
            + info.commandTag()
            + " there would not see or keep this session's prepared statements, cursors or"
            + " settings; send the statement itself";
      }
    }
    return null;
  }

  /**
   * Statements that use or leave a name in the session (prepared statements, cursors): on a
   * one-time connection they could not find the session's, and what they leave is lost with it.
   */
  private static final java.util.Set<String> SESSION_NAMES =
      java.util.Set.of(
          "PREPARE",
          "EXECUTE",
          "DEALLOCATE",
          "DEALLOCATE ALL",
          "DECLARE CURSOR",
          "FETCH",
          "MOVE",
          "CLOSE CURSOR",
          "CLOSE CURSOR ALL");

  private static void open(
      FlowContext s,
      Verdict verdict,
      String role,
      List<String> searchPath,
      List<FrontendMessage> messages,
      List<Pending> expected,
      Runnable refused,
      Runnable after) {
    UpstreamTarget target;
    try {
      target = s.gate().upstream(s.info().database(), role);
    } catch (RuntimeException e) {
      refused.run();
      s.error(SqlState.INSUFFICIENT_PRIVILEGE, "no upstream role `" + role + "`", null, false);
      s.resume();
      return;
    }
    Map<String, String> parameters = new LinkedHashMap<>(s.info().runtimeParameters());
    parameters.putAll(UpstreamOptions.of(verdict.decision().obligations()));
    // The text runs as it was analysed: under the session's search_path then, not the new
    // connection's default (a SET earlier in the session would otherwise be lost here).
    SearchPath.onConnect(parameters, searchPath);
    s.whenDone(
        s.connect(target, role, parameters),
        (elevated, error) -> {
          if (error != null) {
            refused.run();
            Governance.upstreamFailed(s, error, ready(messages));
            s.resume();
            return;
          }
          if (s.closed()) {
            elevated.close();
            refused.run();
            return;
          }
          UpstreamConnection own = s.upstream();
          s.upstream(elevated);
          s.expectAll(expected);
          s.expect(
              new Pending.Synthetic(
                  () -> {
                    // The one execution is over: back to the session's own connection.
                    s.upstream(own);
                    elevated.close();
                    if (own != null) {
                      own.read();
                    }
                    after.run();
                    s.resume();
                    return List.of();
                  }));
          messages.forEach(elevated::write);
          elevated.flush();
          elevated.read();
        });
  }
}
