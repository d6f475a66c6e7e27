package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** RowDescription: the columns of the rows that follow. */
public record RowDescription(List<ResultColumn> columns) implements BackendMessage {

  public RowDescription {
    columns = List.copyOf(columns);
  }

  static RowDescription decode(ByteBuf body) {
    int count = body.readUnsignedShort();
    List<ResultColumn> columns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      columns.add(
          new ResultColumn(
              Wire.readCString(body),
              body.readInt(),
              body.readShort(),
              body.readInt(),
              body.readShort(),
              body.readInt(),
              body.readShort()));
    }
    Wire.expectEnd(body, "row description");
    return new RowDescription(columns);
  }

  /**
   * The same columns with the formats a Bind asked for (a statement's description always says text,
   * the portal's rows come in the bound formats).
   */
  public RowDescription withFormats(IntUnaryOperator formatOfColumn) {
    List<ResultColumn> bound = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      ResultColumn c = columns.get(i);
      bound.add(
          new ResultColumn(
              c.name(),
              c.tableOid(),
              c.columnNumber(),
              c.typeOid(),
              c.typeSize(),
              c.typeModifier(),
              formatOfColumn.applyAsInt(i)));
    }
    return new RowDescription(bound);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'T',
        b -> {
          b.writeShort(columns.size());
          for (ResultColumn c : columns) {
            Wire.writeCString(b, c.name());
            b.writeInt(c.tableOid());
            b.writeShort(c.columnNumber());
            b.writeInt(c.typeOid());
            b.writeShort(c.typeSize());
            b.writeInt(c.typeModifier());
            b.writeShort(c.format());
          }
        });
  }
}
