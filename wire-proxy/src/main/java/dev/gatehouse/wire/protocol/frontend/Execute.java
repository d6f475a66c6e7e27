package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** Execute: runs a portal, returning at most {@code maxRows} rows (0 for all). */
public record Execute(String portal, int maxRows) implements FrontendMessage {

  static Execute decode(ByteBuf body) {
    Execute e = new Execute(Wire.readCString(body), body.readInt());
    Wire.expectEnd(body, "execute");
    return e;
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'E',
        b -> {
          Wire.writeCString(b, portal);
          b.writeInt(maxRows);
        });
  }
}
