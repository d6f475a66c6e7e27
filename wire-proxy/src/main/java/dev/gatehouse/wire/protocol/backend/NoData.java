package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** NoData: the described statement or portal returns no rows. */
public record NoData() implements BackendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'n', b -> {});
  }
}
