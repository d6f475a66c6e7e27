package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.masking.ErrorRedaction;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.NoticeResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.backend.RowDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a governed statement on its way to the client: a mask plan per result set, rows
 * relayed as their original bytes when the plan passes them through, the row limit enforced by
 * counting rows, and the outcome recorded at the end.
 *
 * <p>Row limit: rows past the limit are not sent; the client gets a WARNING saying the result was
 * truncated and a command tag with the rows it did receive. The upstream still produces the rest
 * (it is read and dropped, in bounded memory).
 */
final class ResultRelay {

  private final Relaying session;
  private long resultRows;

  ResultRelay(Relaying session) {
    this.session = session;
  }

  /** Relays one frame of {@code run}'s result; true when the run is complete. */
  boolean frame(StatementRun run, char type, Frame frame) {
    if (run.beyondAnalysis(type)) {
      // Fail closed: nothing of a statement the gateway did not decide reaches the client.
      frame.release();
      run.failed("XX000", "the upstream ran more statements than the gateway analysed");
      run.complete();
      session.hiddenStatement();
      return true;
    }
    if (run.copyDescribeError != null) {
      // the error of the gateway's Describe of this COPY, in the COPY's place (ResultHold applies).
      session.send(run.copyDescribeError);
      run.copyDescribeError = null;
    }
    if (run.copyOut != null && run.copyOut.refused() && type != 'Z') {
      // A refused COPY: its data, end and tag never reach the client (it already has the error).
      frame.release();
      if (!run.simple && (type == 'C' || type == 'E')) {
        run.complete();
        return true;
      }
      return false;
    }
    switch (type) {
      case 'T' -> {
        RowDescription description = (RowDescription) BackendMessage.decode(frame);
        startResult(run, description.columns());
        session.send(frame);
      }
      case 'D' -> dataRow(run, frame);
      case 'C' -> {
        session.settings().completed(run.verdict, run.simple ? run.completedStatements : 0);
        run.completedStatements++;
        long rows = CommandComplete.rows(frame.body());
        run.rowsReported += rows;
        session.budget().ended(run);
        if (run.truncated) {
          frame.release();
          session.send(truncatedWarning(run));
          session.send(
              new CommandComplete(
                  (run.copyOut != null ? "COPY " : RowBudget.endedFetch(run) ? "FETCH " : "SELECT ")
                      + (run.copyOut != null ? run.rowsSent : resultRows)));
        } else {
          session.send(frame);
        }
        endResult(run);
        return !run.simple;
      }
      case 'I', 's' -> {
        if (type == 's' && run.truncated) {
          // a suspended portal past the limit says so now; the client may
          // stop fetching before any CommandComplete could carry the warning.
          session.send(truncatedWarning(run));
        }
        session.send(frame);
        if (!run.simple) {
          run.complete();
          return true;
        }
      }
      case 'E' -> {
        ErrorResponse error = (ErrorResponse) BackendMessage.decode(frame);
        session.settings().failed();
        run.failed(
            error.sqlState(),
            ErrorRedaction.forAudit(error.sqlState(), error.message(), error.fields()));
        session.send(frame);
        if (!run.simple) {
          run.complete();
          return true;
        }
      }
      case 'H' -> CopyFlow.copyOut(session, run, frame);
      case 'd' -> CopyFlow.copyData(session, run, frame);
      case 'Z' -> {
        run.complete();
        if (run.sqlState == null) {
          session.applied(run.verdict);
        } else {
          session.notApplied(run.verdict);
        }
        session.readyForQuery(frame);
        return true;
      }
      default -> session.send(frame); // CopyInResponse, CopyDone, ParameterDescription...
    }
    return false;
  }

  /** A new result set: its mask plan, decided once from the columns. */
  void startResult(StatementRun run, List<ResultColumn> columns) {
    run.plan(run.admitted.maskPlan(columns, run.simple ? run.completedStatements : 0));
    resultRows = 0;
    run.truncated = false;
  }

  private void endResult(StatementRun run) {
    if (!run.simple) {
      run.complete();
      session.applied(run.verdict);
    }
    run.truncated = false;
    resultRows = 0;
  }

  private void dataRow(StatementRun run, Frame frame) {
    if (run.plan == null) {
      // An Execute: its rows were described by a Describe before it, the client's or the
      // gateway's own (Portal.describeFirst), answered by now since answers come in order.
      RowDescription described = run.portal == null ? null : run.portal.rows();
      if (described == null) {
        // Fail closed: a plan over columns of unknown type and origin passed a function's masked
        // value and the detectors' findings in clear (red-team round 45).
        frame.release();
        run.failed("XX000", "rows of a result whose columns the gateway did not know");
        run.complete();
        session.undescribedResult();
        return;
      }
      startResult(run, described.columns());
    }
    // counted per portal and per SQL cursor, not per Execute or FETCH.
    if (run.rowLimit > 0 && session.budget().spent(run, resultRows) >= run.rowLimit) {
      run.truncated = true;
      frame.release();
      return;
    }
    resultRows++;
    run.rowsSent++;
    session.budget().sent(run);
    if (run.plan.passesThrough()) {
      session.send(frame);
      return;
    }
    try {
      session.send(RowMasker.mask(session.alloc(), frame, run.plan));
    } finally {
      frame.release();
    }
  }

  static NoticeResponse truncatedWarning(StatementRun run) {
    return NoticeResponse.warning(
        "result truncated to " + run.rowLimit + " rows by policy",
        "rules: " + String.join(", ", run.verdict.decision().ruleIds()));
  }

  static List<ResultColumn> unknownColumns(int count) {
    List<ResultColumn> columns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      columns.add(new ResultColumn("?column?", 0, 0, 0, -1, -1, ResultColumn.TEXT));
    }
    return columns;
  }

  static ReadyForQuery ready(SessionState session) {
    return new ReadyForQuery(session.transaction().told());
  }

  static MaskPlan none() {
    return MaskPlan.NONE;
  }
}
