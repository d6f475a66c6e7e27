package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** Describe: asks for the description of a statement ({@code S}) or a portal ({@code P}). */
public record Describe(char kind, String name) implements FrontendMessage {

  static Describe decode(ByteBuf body) {
    char kind = (char) body.readByte();
    if (kind != 'S' && kind != 'P') {
      throw new ProtocolViolation("describe of unknown kind `" + kind + "`");
    }
    Describe d = new Describe(kind, Wire.readCString(body));
    Wire.expectEnd(body, "describe");
    return d;
  }

  public boolean statement() {
    return kind == 'S';
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'D',
        b -> {
          b.writeByte(kind);
          Wire.writeCString(b, name);
        });
  }
}
