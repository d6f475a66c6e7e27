package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** Terminate: the client closes the session. */
public record Terminate() implements FrontendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'X', b -> {});
  }
}
