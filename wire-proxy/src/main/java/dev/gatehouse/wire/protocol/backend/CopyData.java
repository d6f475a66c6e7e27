package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CopyData from the server: one row of COPY TO STDOUT output. */
public record CopyData(byte[] data) implements BackendMessage {

  static CopyData decode(ByteBuf body) {
    byte[] data = new byte[body.readableBytes()];
    body.readBytes(data);
    return new CopyData(data);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'd', b -> b.writeBytes(data));
  }
}
