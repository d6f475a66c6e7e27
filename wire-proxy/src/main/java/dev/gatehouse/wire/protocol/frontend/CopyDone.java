package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CopyDone: the client finished sending COPY data. */
public record CopyDone() implements FrontendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'c', b -> {});
  }
}
