package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.masking.CopyCommand;
import dev.gatehouse.engine.masking.CopyFormat;
import dev.gatehouse.engine.masking.CopyMaskingException;
import dev.gatehouse.engine.masking.CopyRowMasker;
import dev.gatehouse.engine.masking.ErrorRedaction;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CopyOutResponse;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Sync;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * COPY in both directions. COPY FROM STDIN data passes upstream as its original bytes (the COPY
 * statement itself was judged, with the write rules of the policy). COPY TO STDOUT rows are masked
 * as a SELECT of the same query would be: before the COPY goes upstream the gateway describes its
 * query (Parse and Describe of the unnamed statement, then Sync, none of it seen by the client), so
 * the mask plan knows each column's source and type; every CopyData is then masked in the COPY's
 * own format (text, CSV with its options, binary) by {@link CopyRowMasker}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY">COPY
 *     operations</a>
 * @see <a href="https://www.postgresql.org/docs/current/sql-copy.html">COPY</a>
 */
final class CopyFlow {

  /**
   * A COPY TO STDOUT in progress.
   *
   * @param format the data's format, or null when the statement could not be read (nothing is
   *     masked then: only a COPY without masking gets that far)
   * @param masker masks each CopyData, or null when the plan passes everything through
   * @param refused the client got an error instead; the upstream's COPY output is dropped
   */
  record Out(CopyFormat format, CopyRowMasker masker, boolean refused) {}

  private CopyFlow() {}

  /** CopyData, CopyDone or CopyFail from the client: COPY FROM STDIN data goes upstream as is. */
  static <S extends ClientAnswers & UpstreamSide> void clientCopy(S session, Frame frame) {
    if (session.upstream() == null) {
      frame.release();
      return;
    }
    session.upstream().write(frame);
  }

  /**
   * For a simple Query that is one COPY TO STDOUT under masking: describes its query upstream first
   * (answered into {@link Pending.CopyDescribe}). Call just before the Query is written upstream.
   */
  static <S extends ClientAnswers & UpstreamSide> void describeFirst(S session, StatementRun run) {
    List<FrontendMessage> describe = describe(run);
    if (!describe.isEmpty()) {
      describe.forEach(session.upstream()::write);
      session.expect(new Pending.CopyDescribe(run));
    }
  }

  /**
   * The messages that describe {@code run}'s COPY query before it runs (answered into {@link
   * Pending.CopyDescribe}), or none when it needs no description; for a run on the session's
   * connection or on the one-time connection of an approved run ({@link ElevatedRun}).
   */
  static List<FrontendMessage> describe(StatementRun run) {
    List<StatementInfo> statements = run.verdict.analysis().statements();
    if (statements.size() != 1
        || !statements.getFirst().commandTag().equals("COPY")
        || run.verdict.decision().obligations().masking().isEmpty()) {
      return List.of();
    }
    try {
      run.copyCommand = CopyCommand.parse(statements.getFirst().sql());
    } catch (IllegalArgumentException e) {
      run.copyProblem = e.getMessage(); // COPY FROM, or options that cannot be masked
      return List.of();
    }
    // The unnamed statement is free here: the simple Query that follows drops it anyway.
    return List.of(
        new Parse("", run.copyCommand.query(), List.of()), new Describe('S', ""), new Sync());
  }

  /** One answer to {@link #describeFirst}'s messages; true at its ReadyForQuery. */
  static boolean described(StatementRun run, char type, Frame frame) {
    switch (type) {
      case 'T' -> {
        run.copyColumns =
            ((dev.gatehouse.wire.protocol.backend.RowDescription) BackendMessage.decode(frame))
                .columns();
        frame.release();
      }
      case 'E' -> {
        // The COPY would fail the same way: the client gets this error in the COPY's place.
        ErrorResponse error = (ErrorResponse) BackendMessage.decode(frame);
        run.failed(
            error.sqlState(),
            ErrorRedaction.forAudit(error.sqlState(), error.message(), error.fields()));
        run.copyDescribeError = frame;
        run.copyOut = new Out(null, null, true);
      }
      default -> frame.release(); // ParseComplete, ParameterDescription, NoData, ReadyForQuery
    }
    return type == 'Z';
  }

  static <S extends ClientAnswers & UpstreamSide> void copyOut(
      S session, StatementRun run, Frame frame) {
    CopyOutResponse response = (CopyOutResponse) BackendMessage.decode(frame);
    int width = response.columnFormats().size();
    boolean masked = !run.verdict.decision().obligations().masking().isEmpty();
    if (!masked) {
      run.copyOut = new Out(format(run), null, false);
      session.relay().results().startResult(run, ResultRelay.unknownColumns(width));
      session.send(frame);
      return;
    }
    String problem = run.copyProblem;
    if (problem == null && (run.copyCommand == null || run.copyColumns == null)) {
      problem =
          !run.simple
              ? "a COPY whose rows are masked must be sent as a simple query, not through the"
                  + " extended protocol (psql, CopyManager, copy_expert and pg-copy-streams send"
                  + " it so)"
              : "a COPY whose rows are masked must be the only statement of its query; send it"
                  + " on its own";
    } else if (problem == null && run.copyColumns.size() != width) {
      problem = "the COPY sends " + width + " columns where its query has " + run.copyColumns;
    }
    if (problem != null) {
      refuse(session, run, frame, problem);
      return;
    }
    CopyFormat format = run.copyCommand.format();
    List<ResultColumn> columns = new ArrayList<>(width);
    for (ResultColumn c : run.copyColumns) {
      columns.add(
          new ResultColumn(
              c.name(),
              c.tableOid(),
              c.columnNumber(),
              c.typeOid(),
              c.typeSize(),
              c.typeModifier(),
              format.columnFormat()));
    }
    session.relay().results().startResult(run, columns);
    CopyRowMasker masker =
        run.plan.passesThrough() ? null : new CopyRowMasker(run.plan, width, format);
    run.copyOut = new Out(format, masker, false);
    session.send(frame);
  }

  private static CopyFormat format(StatementRun run) {
    List<StatementInfo> statements = run.verdict.analysis().statements();
    if (run.copyCommand != null) {
      return run.copyCommand.format();
    }
    try {
      return statements.size() == 1
          ? CopyCommand.parse(statements.getFirst().sql()).format()
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static <S extends ClientAnswers & UpstreamSide> void refuse(
      S session, StatementRun run, Frame frame, String problem) {
    frame.release();
    run.copyOut = new Out(null, null, true);
    String message = refusal(problem);
    run.failed(SqlState.INSUFFICIENT_PRIVILEGE.code(), message);
    session.send(ErrorResponse.error(SqlState.INSUFFICIENT_PRIVILEGE, message, null));
  }

  /**
   * {@link #describeFirst}, and a COPY TO STDOUT that masking cannot pass (options it cannot read)
   * refused before it runs rather than at its CopyOutResponse, when its query (a write's {@code
   * RETURNING}) would already have run: true when refused (the client has the error).
   */
  static <S extends ClientAnswers & UpstreamSide> boolean describeOrRefuse(
      S session, StatementRun run) {
    describeFirst(session, run);
    if (run.copyProblem == null || !toStdout(run)) {
      return false; // COPY FROM STDIN is no concern of masking
    }
    String message = refusal(run.copyProblem);
    run.failed(SqlState.INSUFFICIENT_PRIVILEGE.code(), message);
    run.complete();
    session.error(SqlState.INSUFFICIENT_PRIVILEGE, message, null, true);
    return true;
  }

  private static boolean toStdout(StatementRun run) {
    try {
      dev.gatehouse.engine.sql.CopySyntax copy =
          dev.gatehouse.engine.sql.CopySyntax.parse(
              run.verdict.analysis().statements().getFirst().sql());
      return copy.toClient() && copy.target() == dev.gatehouse.engine.sql.CopySyntax.Target.CLIENT;
    } catch (IllegalArgumentException e) {
      return false; // refused at its CopyOutResponse, if it sends one
    }
  }

  /** The client's error for a COPY TO STDOUT that masking cannot pass, for {@code problem}. */
  static String refusal(String problem) {
    return "permission denied by gatehouse: masking applies to this COPY and "
        + problem
        + "; nothing was sent. Copy the columns you may read in clear, or run the query as a"
        + " SELECT";
  }

  static <S extends ClientAnswers & UpstreamSide> void copyData(
      S session, StatementRun run, Frame frame) {
    if (run.copyOut != null && run.copyOut.refused()) {
      frame.release();
      return;
    }
    boolean row = isRow(run, frame.body());
    // COPY TO STDOUT obeys the row limit like any result; a header and binary's trailer are no
    // rows.
    if (row && run.rowLimit > 0 && run.rowsSent >= run.rowLimit) {
      run.truncated = true;
      frame.release();
      return;
    }
    if (row) {
      run.rowsSent++;
    }
    CopyRowMasker masker = run.copyOut == null ? null : run.copyOut.masker();
    if (masker == null) {
      session.send(frame);
      return;
    }
    byte[] data = new byte[frame.body().readableBytes()];
    frame.body().getBytes(frame.body().readerIndex(), data);
    frame.release();
    byte[] masked;
    try {
      masked = masker.mask(data);
    } catch (CopyMaskingException e) {
      // A row that cannot be read cannot be masked: the COPY ends with an error, nothing more.
      run.copyOut = new Out(null, null, true);
      String message = "the gateway stopped a COPY whose data it could not mask: " + e.getMessage();
      run.failed(SqlState.INTERNAL_ERROR.code(), message);
      session.send(ErrorResponse.error(SqlState.INTERNAL_ERROR, message, null));
      return;
    }
    ByteBuf out = session.alloc().buffer(masked.length + 5);
    out.writeByte('d');
    out.writeInt(masked.length + 4);
    out.writeBytes(masked);
    session.send(out);
  }

  /** Whether a CopyData payload holds a row (PostgreSQL sends one row per message). */
  private static boolean isRow(StatementRun run, ByteBuf data) {
    CopyFormat format = run.copyOut == null ? null : run.copyOut.format();
    if (format == null) {
      return true;
    }
    if (format.kind() == CopyFormat.Kind.BINARY) {
      int n = data.readableBytes();
      boolean trailer = n == 2 && data.getShort(data.readerIndex()) == -1;
      boolean headerOnly = (n == 19 || n == 21) && data.getByte(data.readerIndex()) == 'P';
      return !trailer && !headerOnly;
    }
    if (format.header() && !run.copyHeaderSent) {
      run.copyHeaderSent = true;
      return false;
    }
    return true;
  }
}
