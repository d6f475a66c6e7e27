package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** SSLRequest: the client asks for TLS before the startup message. */
public record SslRequest() implements FrontendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.untypedFrame(out, b -> b.writeInt(SSL_REQUEST_CODE));
  }
}
