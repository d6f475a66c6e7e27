package dev.gatehouse.engine.masking;

/**
 * A result column as the wire describes it (RowDescription field).
 *
 * @param tableOid the source table's OID, or 0
 * @param columnNumber the attribute number in that table, or 0
 * @param typeOid the data type's OID
 * @param typeSize pg_type.typlen
 * @param typeModifier the type modifier
 * @param format 0 for text, 1 for binary
 */
public record ResultColumn(
    String name,
    int tableOid,
    int columnNumber,
    int typeOid,
    int typeSize,
    int typeModifier,
    int format) {

  public static final int TEXT = 0;
  public static final int BINARY = 1;
}
