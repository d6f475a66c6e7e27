package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import io.netty.buffer.ByteBuf;

/**
 * A message from server to client, one record per message of the PostgreSQL protocol. The proxy
 * decodes only what policy, masking and bookkeeping need; other frames pass as their bytes.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message
 *     formats</a>
 */
public sealed interface BackendMessage
    permits Authentication,
        ParameterStatus,
        BackendKeyData,
        ReadyForQuery,
        RowDescription,
        DataRow,
        CommandComplete,
        EmptyQueryResponse,
        ErrorResponse,
        NoticeResponse,
        ParseComplete,
        BindComplete,
        CloseComplete,
        NoData,
        PortalSuspended,
        ParameterDescription,
        CopyInResponse,
        CopyOutResponse,
        CopyData,
        CopyDone,
        NotificationResponse,
        NegotiateProtocolVersion {

  /** Writes the whole frame, header included. */
  void encode(ByteBuf out);

  static BackendMessage decode(Frame frame) {
    ByteBuf body = frame.body();
    return switch (frame.typeChar()) {
      case 'R' -> Authentication.decode(body);
      case 'S' -> ParameterStatus.decode(body);
      case 'K' -> BackendKeyData.decode(body);
      case 'Z' -> ReadyForQuery.decode(body);
      case 'T' -> RowDescription.decode(body);
      case 'D' -> DataRow.decode(body);
      case 'C' -> CommandComplete.decode(body);
      case 'I' -> new EmptyQueryResponse();
      case 'E' -> new ErrorResponse(Fields.decode(body));
      case 'N' -> new NoticeResponse(Fields.decode(body));
      case '1' -> new ParseComplete();
      case '2' -> new BindComplete();
      case '3' -> new CloseComplete();
      case 'n' -> new NoData();
      case 's' -> new PortalSuspended();
      case 't' -> ParameterDescription.decode(body);
      case 'G' -> CopyInResponse.decode(body);
      case 'H' -> CopyOutResponse.decode(body);
      case 'd' -> CopyData.decode(body);
      case 'c' -> new CopyDone();
      case 'A' -> NotificationResponse.decode(body);
      case 'v' -> NegotiateProtocolVersion.decode(body);
      default ->
          throw new ProtocolViolation("unexpected server message `" + frame.typeChar() + "`");
    };
  }
}
