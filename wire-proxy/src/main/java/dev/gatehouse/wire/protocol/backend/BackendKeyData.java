package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** BackendKeyData: the key a client quotes in a CancelRequest. */
public record BackendKeyData(int processId, int secretKey) implements BackendMessage {

  static BackendKeyData decode(ByteBuf body) {
    return new BackendKeyData(body.readInt(), body.readInt());
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'K',
        b -> {
          b.writeInt(processId);
          b.writeInt(secretKey);
        });
  }
}
