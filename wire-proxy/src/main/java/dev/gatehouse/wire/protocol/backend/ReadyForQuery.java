package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/**
 * ReadyForQuery: the server is idle ({@code I}), in a transaction ({@code T}) or a failed one
 * ({@code E}).
 */
public record ReadyForQuery(char status) implements BackendMessage {

  public static final char IDLE = 'I';

  static ReadyForQuery decode(ByteBuf body) {
    return new ReadyForQuery(status(body));
  }

  /** The status of a ReadyForQuery body, read in place (it is relayed as its bytes). */
  public static char status(ByteBuf body) {
    char status = (char) body.readByte();
    if (status != 'I' && status != 'T' && status != 'E') {
      throw new ProtocolViolation("unknown transaction status `" + status + "`");
    }
    return status;
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'Z', b -> b.writeByte(status));
  }
}
