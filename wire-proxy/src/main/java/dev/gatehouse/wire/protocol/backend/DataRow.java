package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** DataRow: one row, each cell as bytes in its column's format, or null for SQL NULL. */
public record DataRow(List<byte[]> cells) implements BackendMessage {

  public DataRow {
    cells = Collections.unmodifiableList(new ArrayList<>(cells));
  }

  static DataRow decode(ByteBuf body) {
    int count = body.readUnsignedShort();
    List<byte[]> cells = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cells.add(Wire.readValue(body));
    }
    Wire.expectEnd(body, "data row");
    return new DataRow(cells);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'D',
        b -> {
          b.writeShort(cells.size());
          cells.forEach(c -> Wire.writeValue(b, c));
        });
  }
}
