package dev.gatehouse.engine.masking;

/**
 * A mask that was applied to an output column, for the audit record; never the clear value.
 *
 * @param outputColumn the result column's name
 * @param sourceColumn the base column it derives from ({@code schema.table.column}), or null for a
 *     detector hit
 * @param ruleId the masking rule, or {@code detector:TYPE}
 */
public record AppliedMask(
    String outputColumn, String sourceColumn, String ruleId, MaskStrategy strategy) {}
