package dev.gatehouse.engine.sql.model;

/** A column of a relation: {@code schema.table.column}. */
public record ColumnRef(TableRef table, String column) {

  public String qualified() {
    return table.qualified() + "." + column;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
