package dev.gatehouse.engine.masking;

import java.util.List;

/**
 * How to mask each column of one result, decided once per result and applied row by row.
 * Implementations are thread-confined to the connection that streams the result.
 */
public interface MaskPlan {

  /** A plan that changes nothing: rows may be relayed as their original bytes. */
  MaskPlan NONE =
      new MaskPlan() {
        @Override
        public boolean passesThrough() {
          return true;
        }

        @Override
        public boolean inspects(int column) {
          return false;
        }

        @Override
        public byte[] apply(int column, byte[] value) {
          return value;
        }

        @Override
        public List<AppliedMask> applied() {
          return List.of();
        }

        @Override
        public MaskPlan again() {
          return this;
        }
      };

  /** True when no cell of any row can change (no rule applies and no detector runs). */
  boolean passesThrough();

  /** True when cells of {@code column} (0-based) must go through {@link #apply}. */
  boolean inspects(int column);

  /**
   * The cell to send for {@code value} in column {@code column}, in that column's format: the same
   * array when nothing changes, a masked value valid for the column's type, or null for SQL NULL.
   *
   * @param value the cell's bytes as the upstream sent them, or null for SQL NULL
   */
  byte[] apply(int column, byte[] value);

  /** Every mask applied so far (rules decided up front, detector hits as they happen). */
  List<AppliedMask> applied();

  /**
   * A plan for another result of the same columns, decided under the same policy and catalog, with
   * nothing applied yet: what planning again would give, without the planning. Null when this plan
   * must be made afresh (the default; a plan made while the catalog could not be read).
   */
  default MaskPlan again() {
    return null;
  }
}
