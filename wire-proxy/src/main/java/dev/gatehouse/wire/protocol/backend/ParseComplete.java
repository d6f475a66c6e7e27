package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** ParseComplete: a Parse succeeded. */
public record ParseComplete() implements BackendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, '1', b -> {});
  }
}
