package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CloseComplete: a Close succeeded. */
public record CloseComplete() implements BackendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, '3', b -> {});
  }
}
