package dev.gatehouse.engine.masking;

/**
 * What happens to the cells of one result column.
 *
 * @param action pass, mask by rule, or run the detectors
 * @param strategy for {@link Action#RULE}: the strategy in force for this column
 * @param placeholder the column's redaction in its type and format (null: SQL NULL)
 * @param nullMasked for {@link Action#RULE}: a SQL NULL is sent as the placeholder too. Set for a
 *     value computed from a masked column: whether it is NULL is a fact about the value ({@code
 *     nullif(substr(ssn, 1, 1), '2')} is NULL exactly when the first digit is 2; red-team round
 *     59), which the plain column's NULL is not (an {@code IS NULL} lookup tells it anyway).
 */
record ColumnPlan(
    String name,
    Action action,
    ColumnType type,
    MaskStrategy strategy,
    int keepLast,
    byte[] placeholder,
    boolean nullMasked) {

  ColumnPlan(
      String name,
      Action action,
      ColumnType type,
      MaskStrategy strategy,
      int keepLast,
      byte[] placeholder) {
    this(name, action, type, strategy, keepLast, placeholder, false);
  }

  enum Action {
    PASS,
    RULE,
    DETECT
  }

  static ColumnPlan pass(String name, ColumnType type) {
    return new ColumnPlan(name, Action.PASS, type, null, 0, null);
  }
}
