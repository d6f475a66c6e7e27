package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** ParameterStatus: the current value of a reported run-time parameter. */
public record ParameterStatus(String name, String value) implements BackendMessage {

  static ParameterStatus decode(ByteBuf body) {
    return new ParameterStatus(Wire.readCString(body), Wire.readCString(body));
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'S',
        b -> {
          Wire.writeCString(b, name);
          Wire.writeCString(b, value);
        });
  }
}
