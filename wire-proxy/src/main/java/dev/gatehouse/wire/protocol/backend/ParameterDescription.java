package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** ParameterDescription: the parameter types of a described statement. */
public record ParameterDescription(List<Integer> types) implements BackendMessage {

  public ParameterDescription {
    types = List.copyOf(types);
  }

  static ParameterDescription decode(ByteBuf body) {
    int count = body.readUnsignedShort();
    List<Integer> types = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      types.add(body.readInt());
    }
    return new ParameterDescription(types);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        't',
        b -> {
          b.writeShort(types.size());
          types.forEach(b::writeInt);
        });
  }
}
