package dev.gatehouse.engine.masking;

/**
 * What happens to the cells of one result column.
 *
 * @param action pass, mask by rule, or run the detectors
 * @param strategy for {@link Action#RULE}: the strategy in force for this column
 * @param placeholder the column's redaction in its type and format (null: SQL NULL)
 */
record ColumnPlan(
    String name,
    Action action,
    ColumnType type,
    MaskStrategy strategy,
    int keepLast,
    byte[] placeholder) {

  enum Action {
    PASS,
    RULE,
    DETECT
  }

  static ColumnPlan pass(String name, ColumnType type) {
    return new ColumnPlan(name, Action.PASS, type, null, 0, null);
  }
}
