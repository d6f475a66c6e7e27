package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CopyFail: the client aborts COPY FROM STDIN. */
public record CopyFail(String message) implements FrontendMessage {

  static CopyFail decode(ByteBuf body) {
    return new CopyFail(Wire.readCString(body));
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'f', b -> Wire.writeCString(b, message));
  }
}
