package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CancelRequest: sent on a new connection, names the session by its backend key data. */
public record CancelRequest(int processId, int secretKey) implements FrontendMessage {

  static CancelRequest decode(ByteBuf body) {
    CancelRequest r = new CancelRequest(body.readInt(), body.readInt());
    Wire.expectEnd(body, "cancel request");
    return r;
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.untypedFrame(
        out,
        b -> {
          b.writeInt(CANCEL_REQUEST_CODE);
          b.writeInt(processId);
          b.writeInt(secretKey);
        });
  }
}
