package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.masking.ErrorRedaction;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.NoticeResponse;
import dev.gatehouse.wire.protocol.backend.NotificationResponse;
import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * ErrorResponse and NoticeResponse from upstream, redacted ({@link ErrorRedaction}) for the
 * statement they answer: the original bytes when nothing changes, a rebuilt message otherwise.
 */
final class UpstreamErrors {

  private UpstreamErrors() {}

  static <S extends ClientAnswers & UpstreamSide> Frame redact(S session, Frame frame) {
    return redact(session, run(session.pending().next()), frame);
  }

  /**
   * {@code frame} redacted for {@code run} (null: a message that ran no statement); any other frame
   * type comes back as it is. Answers held back and delivered later (a write under a row bound)
   * pass here with the run they answer.
   */
  static Frame redact(ClientAnswers session, StatementRun run, Frame frame) {
    if (frame.typeChar() != 'E' && frame.typeChar() != 'N') {
      return frame;
    }
    ErrorRedaction redaction =
        run != null
            ? ErrorRedaction.of(
                run.verdict.decision().obligations().masking(), run.verdict.analysis())
            : ErrorRedaction.detectorsOnly();
    Map<Character, String> fields =
        switch (BackendMessage.decode(frame)) {
          case ErrorResponse e -> e.fields();
          case NoticeResponse n -> n.fields();
          default -> null;
        };
    Map<Character, String> redacted = fields == null ? null : redaction.redact(fields);
    if (redacted == null || redacted == fields) {
      return frame;
    }
    ByteBuf out = session.alloc().buffer();
    BackendMessage message =
        frame.typeChar() == 'E' ? new ErrorResponse(redacted) : new NoticeResponse(redacted);
    message.encode(out);
    byte type = frame.type();
    frame.release();
    return new Frame(type, out);
  }

  /** What replaces a notification's payload for a principal masking applies to. */
  static final String PAYLOAD_WITHHELD = "(withheld: notification payloads may carry masked data)";

  /** Whether masking applies to {@code run}'s principal. */
  static boolean masked(StatementRun run) {
    return ErrorRedaction.of(run.verdict.decision().obligations().masking(), null).active();
  }

  /**
   * A NotificationResponse: its payload is whatever another session (the application, a cleared
   * user, a trigger) passed to NOTIFY, which no analysis of this session's statements sees, so a
   * principal masking applies to (or a session that ran nothing yet: {@code masked} null) gets the
   * channel and the sender's process id, and the payload withheld.
   */
  static Frame notification(ClientAnswers session, Boolean masked, Frame frame) {
    if (Boolean.FALSE.equals(masked)
        || !(BackendMessage.decode(frame) instanceof NotificationResponse n)
        || n.payload().isEmpty()) {
      return frame;
    }
    ByteBuf out = session.alloc().buffer();
    new NotificationResponse(n.processId(), n.channel(), PAYLOAD_WITHHELD).encode(out);
    byte type = frame.type();
    frame.release();
    return new Frame(type, out);
  }

  /** The statement whose answer is next: a run, or the COPY the gateway describes first. */
  private static StatementRun run(Pending head) {
    return switch (head) {
      case Pending.Run(StatementRun run) -> run;
      case Pending.CopyDescribe(StatementRun run) -> run;
      case Pending.RunSetup(char type, StatementRun run) -> run;
      case Pending.HiddenDescribe(Portal portal, StatementRun run) -> run;
      case null, default -> null;
    };
  }
}
