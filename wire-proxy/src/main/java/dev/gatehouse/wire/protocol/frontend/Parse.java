package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Parse: prepares {@code sql} as statement {@code name} ("" is the unnamed statement). */
public record Parse(String name, String sql, List<Integer> parameterTypes)
    implements FrontendMessage {

  public Parse {
    parameterTypes = List.copyOf(parameterTypes);
  }

  static Parse decode(ByteBuf body) {
    String name = Wire.readCString(body);
    String sql = Wire.readCString(body);
    int count = body.readUnsignedShort();
    List<Integer> types = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      types.add(body.readInt());
    }
    Wire.expectEnd(body, "parse");
    return new Parse(name, sql, types);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'P',
        b -> {
          Wire.writeCString(b, name);
          Wire.writeCString(b, sql);
          b.writeShort(parameterTypes.size());
          parameterTypes.forEach(b::writeInt);
        });
  }
}
