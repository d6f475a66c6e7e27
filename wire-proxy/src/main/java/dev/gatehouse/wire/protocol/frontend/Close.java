package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** Close: closes a statement ({@code S}) or a portal ({@code P}). */
public record Close(char kind, String name) implements FrontendMessage {

  static Close decode(ByteBuf body) {
    char kind = (char) body.readByte();
    if (kind != 'S' && kind != 'P') {
      throw new ProtocolViolation("close of unknown kind `" + kind + "`");
    }
    Close c = new Close(kind, Wire.readCString(body));
    Wire.expectEnd(body, "close");
    return c;
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'C',
        b -> {
          b.writeByte(kind);
          Wire.writeCString(b, name);
        });
  }
}
