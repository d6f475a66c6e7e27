package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** NotificationResponse: a NOTIFY on a channel the session LISTENs to. */
public record NotificationResponse(int processId, String channel, String payload)
    implements BackendMessage {

  static NotificationResponse decode(ByteBuf body) {
    return new NotificationResponse(body.readInt(), Wire.readCString(body), Wire.readCString(body));
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'A',
        b -> {
          b.writeInt(processId);
          Wire.writeCString(b, channel);
          Wire.writeCString(b, payload);
        });
  }
}
