package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CopyData from the client: a chunk of COPY FROM STDIN data (relayed as its original bytes). */
public record CopyData(byte[] data) implements FrontendMessage {

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
