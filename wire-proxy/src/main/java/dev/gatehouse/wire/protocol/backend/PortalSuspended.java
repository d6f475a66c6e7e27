package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** PortalSuspended: an Execute reached its row limit. */
public record PortalSuspended() implements BackendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 's', b -> {});
  }
}
