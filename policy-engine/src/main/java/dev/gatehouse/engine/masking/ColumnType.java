package dev.gatehouse.engine.masking;

/**
 * A result column's type as masking sees it, with its wire format (0 text, 1 binary).
 *
 * @param maxLength for {@code varchar(n)} and {@code char(n)} the declared length n, else 0
 */
record ColumnType(ValueKind kind, int typeOid, int format, int maxLength) {

  ColumnType(ValueKind kind, int typeOid, int format) {
    this(kind, typeOid, format, 0);
  }

  /** The type of {@code column}, its length limit read from the type modifier. */
  static ColumnType of(ValueKind kind, ResultColumn column) {
    boolean limited =
        (column.typeOid() == ValueKind.VARCHAR || column.typeOid() == ValueKind.BPCHAR)
            && column.typeModifier() >= 4;
    return new ColumnType(
        kind, column.typeOid(), column.format(), limited ? column.typeModifier() - 4 : 0);
  }

  boolean binary() {
    return format == ResultColumn.BINARY;
  }

  /** {@code masked}, or all stars when it would not fit the declared length. */
  String fit(String masked) {
    if (maxLength <= 0 || masked.codePointCount(0, masked.length()) <= maxLength) {
      return masked;
    }
    return "*".repeat(Math.min(maxLength, Placeholders.REDACTED.length()));
  }
}
