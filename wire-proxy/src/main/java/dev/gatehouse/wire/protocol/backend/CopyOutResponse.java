package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * CopyOutResponse: COPY TO STDOUT data follows; overall format (0 text, 1 binary) and the format of
 * each column.
 */
public record CopyOutResponse(int format, List<Short> columnFormats) implements BackendMessage {

  public CopyOutResponse {
    columnFormats = List.copyOf(columnFormats);
  }

  static CopyOutResponse decode(ByteBuf body) {
    int format = body.readByte();
    int count = body.readUnsignedShort();
    List<Short> formats = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      formats.add(body.readShort());
    }
    return new CopyOutResponse(format, formats);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'H',
        b -> {
          b.writeByte(format);
          b.writeShort(columnFormats.size());
          columnFormats.forEach(f -> b.writeShort(f));
        });
  }
}
