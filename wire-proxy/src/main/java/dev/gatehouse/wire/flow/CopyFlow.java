package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CopyOutResponse;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * COPY in both directions. COPY FROM STDIN data passes upstream as its original bytes (the COPY
 * statement itself was judged). COPY TO STDOUT rows are masked per the statement's plan: each
 * CopyData is one row in COPY's text format, split into fields, masked, and escaped again.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY">COPY
 *     operations</a>
 * @see <a href="https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2">Text
 *     format</a>
 */
final class CopyFlow {

  private static final Pattern NOT_PLAIN_TEXT =
      Pattern.compile("(?is).*\\b(csv|binary|delimiter)\\b.*");

  /** A COPY TO STDOUT in progress. */
  record Out(boolean plainText, boolean refused) {}

  private CopyFlow() {}

  /** CopyData, CopyDone or CopyFail from the client: COPY FROM STDIN data goes upstream as is. */
  static void clientCopy(Session session, Frame frame) {
    if (session.upstream == null) {
      frame.release();
      return;
    }
    session.upstream.write(frame);
  }

  static void copyOut(Session session, StatementRun run, Frame frame) {
    CopyOutResponse response = (CopyOutResponse) BackendMessage.decode(frame);
    List<ResultColumn> columns = new ArrayList<>();
    for (int i = 0; i < response.columnFormats().size(); i++) {
      columns.add(
          new ResultColumn("column" + (i + 1), 0, 0, 0, -1, -1, response.columnFormats().get(i)));
    }
    session.relay.results().startResult(run, columns);
    String sql = run.verdict.analysis().sql();
    boolean plainText = response.format() == 0 && !NOT_PLAIN_TEXT.matcher(sql).matches();
    if (!plainText && !run.plan.passesThrough()) {
      // Masking needs fields, and only COPY's default text format is split reliably here: the
      // client gets an error instead of the copy, and the upstream's output is dropped.
      frame.release();
      run.copyOut = new Out(false, true);
      String message =
          "permission denied by gatehouse: masked columns can be copied out only in COPY's"
              + " default text format; use COPY ... TO STDOUT without CSV or BINARY";
      run.failed(SqlState.INSUFFICIENT_PRIVILEGE.code(), message);
      session.send(ErrorResponse.error(SqlState.INSUFFICIENT_PRIVILEGE, message, null));
      return;
    }
    run.copyOut = new Out(plainText, false);
    session.send(frame);
  }

  static void copyData(Session session, StatementRun run, Frame frame) {
    MaskPlan plan = run.plan;
    // COPY TO STDOUT obeys the row limit like any result.
    if (run.rowLimit > 0 && run.rowsSent >= run.rowLimit) {
      run.truncated = true;
      frame.release();
      return;
    }
    run.rowsSent++;
    if (run.copyOut != null && run.copyOut.refused()) {
      frame.release();
      return;
    }
    if (run.copyOut == null || plan == null || plan.passesThrough()) {
      session.send(frame);
      return;
    }
    try {
      ByteBuf out = session.client.alloc().buffer(frame.bytes().readableBytes() + 64);
      out.writeByte('d');
      int lengthAt = out.writerIndex();
      out.writeInt(0);
      out.writeBytes(CopyText.maskLine(frame.body(), plan));
      out.setInt(lengthAt, out.writerIndex() - lengthAt);
      session.send(out);
    } finally {
      frame.release();
    }
  }
}
