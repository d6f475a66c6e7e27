package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** Sync: ends an extended-query cycle; the server answers ReadyForQuery. */
public record Sync() implements FrontendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'S', b -> {});
  }
}
