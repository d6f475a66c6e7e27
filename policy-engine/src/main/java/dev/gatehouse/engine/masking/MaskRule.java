package dev.gatehouse.engine.masking;

/**
 * A column masking rule of the policy.
 *
 * @param id the rule id, recorded with every mask it applies
 * @param columnSelector a {@code schema.table.column} glob ({@code app.customers.ssn}, {@code
 *     *.card_number}, {@code app.*.email})
 * @param strategy how to mask
 * @param keepLast for {@link MaskStrategy#KEEP_LAST}: how many trailing characters stay
 * @param inference what the column may do outside the select list; null: the policy's setting
 */
public record MaskRule(
    String id, String columnSelector, MaskStrategy strategy, int keepLast, Inference inference) {

  /** A rule that follows the policy's inference setting. */
  public MaskRule(String id, String columnSelector, MaskStrategy strategy, int keepLast) {
    this(id, columnSelector, strategy, keepLast, null);
  }
}
