package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** BindComplete: a Bind succeeded. */
public record BindComplete() implements BackendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, '2', b -> {});
  }
}
