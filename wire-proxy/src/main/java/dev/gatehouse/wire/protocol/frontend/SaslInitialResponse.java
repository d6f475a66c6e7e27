package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** SASLInitialResponse: the chosen mechanism and the client-first message. */
public record SaslInitialResponse(String mechanism, byte[] data) implements FrontendMessage {

  public static SaslInitialResponse decode(ByteBuf body) {
    String mechanism = Wire.readCString(body);
    byte[] data = Wire.readValue(body);
    Wire.expectEnd(body, "SASL initial response");
    return new SaslInitialResponse(mechanism, data);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'p',
        b -> {
          Wire.writeCString(b, mechanism);
          Wire.writeValue(b, data);
        });
  }
}
