package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * CopyInResponse: the server is ready for COPY FROM STDIN data; overall format (0 text, 1 binary)
 * and the format of each column.
 */
public record CopyInResponse(int format, List<Short> columnFormats) implements BackendMessage {

  public CopyInResponse {
    columnFormats = List.copyOf(columnFormats);
  }

  static CopyInResponse decode(ByteBuf body) {
    int format = body.readByte();
    int count = body.readUnsignedShort();
    List<Short> formats = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      formats.add(body.readShort());
    }
    return new CopyInResponse(format, formats);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'G',
        b -> {
          b.writeByte(format);
          b.writeShort(columnFormats.size());
          columnFormats.forEach(f -> b.writeShort(f));
        });
  }
}
