package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import io.netty.buffer.ByteBuf;

/**
 * A message from client to server, one record per message of the PostgreSQL protocol.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message
 *     formats</a>
 */
public sealed interface FrontendMessage
    permits StartupMessage,
        SslRequest,
        GssEncRequest,
        CancelRequest,
        PasswordMessage,
        SaslInitialResponse,
        SaslResponse,
        Query,
        Parse,
        Bind,
        Describe,
        Execute,
        Close,
        Sync,
        Flush,
        CopyData,
        CopyDone,
        CopyFail,
        FunctionCall,
        Terminate {

  int SSL_REQUEST_CODE = 80877103;
  int GSSENC_REQUEST_CODE = 80877104;
  int CANCEL_REQUEST_CODE = 80877102;
  int PROTOCOL_3_0 = 196608;

  /** PostgreSQL 18's protocol: cancel keys of any length up to 256 bytes. */
  int PROTOCOL_3_2 = 196610;

  /** Writes the whole frame, header included. */
  void encode(ByteBuf out);

  /**
   * Decodes a startup-phase (untyped) frame by its request code; a malformed one is a {@link
   * ProtocolViolation}, never another exception.
   */
  static FrontendMessage decodeStartup(Frame frame) {
    try {
      return startup(frame);
    } catch (RuntimeException e) {
      throw Malformed.violation("startup", e);
    }
  }

  /**
   * Decodes a typed frame of the client's side of a session; a frame shorter than its fields is a
   * {@link ProtocolViolation} naming the message, never another exception.
   */
  static FrontendMessage decode(Frame frame) {
    try {
      return typed(frame);
    } catch (RuntimeException e) {
      throw Malformed.violation(Malformed.printable(frame.type()), e);
    }
  }

  private static FrontendMessage startup(Frame frame) {
    ByteBuf body = frame.body();
    if (body.readableBytes() < 4) {
      throw new ProtocolViolation("startup packet too short");
    }
    int code = body.readInt();
    return switch (code) {
      case SSL_REQUEST_CODE -> new SslRequest();
      case GSSENC_REQUEST_CODE -> new GssEncRequest();
      case CANCEL_REQUEST_CODE -> CancelRequest.decode(body);
      default -> StartupMessage.decode(code, body);
    };
  }

  private static FrontendMessage typed(Frame frame) {
    ByteBuf body = frame.body();
    return switch (frame.typeChar()) {
      case 'Q' -> Query.decode(body);
      case 'P' -> Parse.decode(body);
      case 'B' -> Bind.decode(body);
      case 'D' -> Describe.decode(body);
      case 'E' -> Execute.decode(body);
      case 'C' -> Close.decode(body);
      case 'S' -> new Sync();
      case 'H' -> new Flush();
      case 'd' -> CopyData.decode(body);
      case 'c' -> new CopyDone();
      case 'f' -> CopyFail.decode(body);
      case 'F' -> FunctionCall.decode(body);
      case 'X' -> new Terminate();
      case 'p' -> PasswordMessage.decode(body);
      default ->
          throw new ProtocolViolation(
              "unknown message type `" + Malformed.printable(frame.type()) + "`");
    };
  }
}
