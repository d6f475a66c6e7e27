package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** Flush: asks the server to send what it has buffered. */
public record Flush() implements FrontendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'H', b -> {});
  }
}
