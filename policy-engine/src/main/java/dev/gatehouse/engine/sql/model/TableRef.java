package dev.gatehouse.engine.sql.model;

/** A table, view or other relation, schema-qualified and case-folded as PostgreSQL would. */
public record TableRef(String schema, String name) {

  public static TableRef of(String qualified) {
    int dot = qualified.indexOf('.');
    return dot < 0
        ? new TableRef(null, qualified)
        : new TableRef(qualified.substring(0, dot), qualified.substring(dot + 1));
  }

  /** {@code schema.name}, or {@code name} when the schema is unknown. */
  public String qualified() {
    return schema == null ? name : schema + "." + name;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
