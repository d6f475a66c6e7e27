package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CopyDone: the server finished sending COPY data. */
public record CopyDone() implements BackendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'c', b -> {});
  }
}
