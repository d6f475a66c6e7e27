package dev.gatehouse.engine.masking;

/** A result column's type as masking sees it, with its wire format (0 text, 1 binary). */
record ColumnType(ValueKind kind, int typeOid, int format) {

  boolean binary() {
    return format == ResultColumn.BINARY;
  }
}
