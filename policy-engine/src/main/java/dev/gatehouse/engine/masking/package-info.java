/**
 * Masking of result cells: a {@link dev.gatehouse.engine.masking.MaskPlanner} decides once per
 * result what happens to each column, a {@link dev.gatehouse.engine.masking.MaskPlan} applies it
 * cell by cell as rows stream.
 *
 * <pre>
 * Analysis.outputColumns() ──┐  lineage: base columns per output column
 * RowDescription fields   ───┼─► CatalogMaskPlanner ─► PlannedMask ─► apply(column, cell)
 * catalog (JdbcCatalog)   ───┘      per column: RULE (strategy) | DETECT | PASS
 * MaskingPolicy (rules, detectors, denyOpaqueLineage)
 * </pre>
 *
 * <p>COPY data goes through {@link dev.gatehouse.engine.masking.CopyRowMasker}. See {@code
 * docs/masking.md} for strategies, type-valid placeholders, detectors and what is not covered.
 */
package dev.gatehouse.engine.masking;
