package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** GSSENCRequest: the client asks for GSSAPI encryption, which the proxy always declines. */
public record GssEncRequest() implements FrontendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.untypedFrame(out, b -> b.writeInt(GSSENC_REQUEST_CODE));
  }
}
