package dev.gatehouse.wire.protocol.frontend;

import io.netty.buffer.ByteBuf;

/** SASLResponse: a further SASL message from the client (SCRAM client-final). */
public record SaslResponse(byte[] data) implements FrontendMessage {

  public static SaslResponse decode(ByteBuf body) {
    byte[] data = new byte[body.readableBytes()];
    body.readBytes(data);
    return new SaslResponse(data);
  }

  @Override
  public void encode(ByteBuf out) {
    dev.gatehouse.wire.protocol.Wire.frame(out, 'p', b -> b.writeBytes(data));
  }
}
