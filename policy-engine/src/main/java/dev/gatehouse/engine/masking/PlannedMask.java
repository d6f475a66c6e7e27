package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.detect.Detectors;
import dev.gatehouse.engine.masking.detect.Hit;
import dev.gatehouse.engine.masking.detect.TextShape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link MaskPlan} decided by {@link CatalogMaskPlanner}: per column, a rule strategy, the
 * detectors, or nothing. Works cell by cell; a cell that needs no change is returned as the same
 * array. Thread-confined to the connection streaming the result.
 */
final class PlannedMask implements MaskPlan {

  private final ColumnPlan[] columns;
  private final Detectors detectors;
  private final Pseudonymizer master;
  private final Pseudonymizer pseudonyms;
  private final List<AppliedMask> ruleMasks;
  private final List<AppliedMask> applied;
  private final Set<String> detectorHits = new HashSet<>();
  private final boolean passesThrough;
  private final boolean reusable;

  /**
   * @param master the planner's pseudonymizer, only ever copied (each plan digests with its own
   *     copy), or null
   * @param reusable false when the plan was made without the catalog: it must not outlive the
   *     outage
   */
  PlannedMask(
      List<ColumnPlan> columns,
      Detectors detectors,
      Pseudonymizer master,
      List<AppliedMask> ruleMasks,
      boolean reusable) {
    this(columns.toArray(ColumnPlan[]::new), detectors, master, List.copyOf(ruleMasks), reusable);
  }

  private PlannedMask(
      ColumnPlan[] columns,
      Detectors detectors,
      Pseudonymizer master,
      List<AppliedMask> ruleMasks,
      boolean reusable) {
    this.columns = columns;
    this.detectors = detectors;
    this.master = master;
    this.pseudonyms = master == null ? null : master.copy();
    this.ruleMasks = ruleMasks;
    this.applied = new ArrayList<>(ruleMasks);
    this.reusable = reusable;
    boolean passes = true;
    for (ColumnPlan c : columns) {
      passes &= c.action() == ColumnPlan.Action.PASS;
    }
    this.passesThrough = passes;
  }

  /** The same columns' plan for another result, with nothing applied yet. */
  @Override
  public MaskPlan again() {
    return reusable ? new PlannedMask(columns, detectors, master, ruleMasks, true) : null;
  }

  @Override
  public boolean passesThrough() {
    return passesThrough;
  }

  @Override
  public boolean inspects(int column) {
    return column >= 0
        && column < columns.length
        && columns[column].action() != ColumnPlan.Action.PASS;
  }

  /** The plan of {@code column}; a column the plan does not know is an error of the caller. */
  ColumnPlan column(int column) {
    if (column < 0 || column >= columns.length) {
      throw new IllegalArgumentException(
          "result column " + column + " is outside the " + columns.length + " planned columns");
    }
    return columns[column];
  }

  int width() {
    return columns.length;
  }

  @Override
  public byte[] apply(int column, byte[] value) {
    ColumnPlan plan = column(column);
    if (value == null) {
      return plan.action() == ColumnPlan.Action.RULE && plan.nullMasked()
          ? plan.placeholder()
          : null;
    }
    return switch (plan.action()) {
      case PASS -> value;
      case RULE -> RuleMasks.apply(plan, value, pseudonyms);
      case DETECT -> detect(plan, value);
    };
  }

  private byte[] detect(ColumnPlan plan, byte[] value) {
    ColumnType type = plan.type();
    return switch (type.kind()) {
      case TEXT -> detectText(plan, value);
      case INTEGER, NUMERIC -> detectNumber(plan, value);
      case BYTEA -> detectWhole(plan, byteaRaw(type, value), value);
      case JSONB -> detectWhole(plan, value, value);
      // OTHER is planned for detection only for types that spell out text (tsvector, tsquery)
      default ->
          type.kind().structured() || type.kind() == ValueKind.OTHER
              ? detectWhole(plan, value, value)
              : value;
    };
  }

  private byte[] detectText(ColumnPlan plan, byte[] value) {
    TextShape shape = TextShape.of(value, 0, value.length);
    if (!detectors.candidate(shape)) {
      return value;
    }
    String text = ValueCodec.utf8(value);
    List<Hit> hits = detectors.scan(text, shape);
    if (hits.isEmpty()) {
      return value;
    }
    record(plan, hits);
    return ValueCodec.utf8(Detectors.redact(text, hits));
  }

  /** A value with structure (json, arrays, rows, bytes): any hit replaces it whole. */
  private byte[] detectWhole(ColumnPlan plan, byte[] scanned, byte[] value) {
    TextShape shape = TextShape.of(scanned, 0, scanned.length);
    if (!detectors.candidate(shape)) {
      return value;
    }
    List<Hit> hits = detectors.scan(ValueCodec.latin1(scanned), shape);
    if (hits.isEmpty()) {
      return value;
    }
    record(plan, hits);
    return plan.placeholder();
  }

  /** A card number stored as a number: only the card detector applies; a hit gives NULL. */
  private byte[] detectNumber(ColumnPlan plan, byte[] value) {
    ColumnType type = plan.type();
    String digits;
    try {
      digits =
          type.kind() == ValueKind.INTEGER
              ? ValueCodec.integerText(value, type.format())
              : ValueCodec.numericText(value, type.format());
    } catch (RuntimeException malformed) {
      return value; // not a number PostgreSQL sent: it cannot hold a card number either
    }
    if (digits == null || digits.length() < 13) {
      return value;
    }
    TextShape shape = TextShape.of(digits);
    List<Hit> hits = detectors.scan(digits, shape);
    hits.removeIf(h -> h.type() != dev.gatehouse.engine.masking.detect.DetectorType.CARD_NUMBER);
    if (hits.isEmpty()) {
      return value;
    }
    record(plan, hits);
    return null;
  }

  private static byte[] byteaRaw(ColumnType type, byte[] value) {
    try {
      return type.binary() ? value : ValueCodec.byteaFromText(value);
    } catch (RuntimeException malformed) {
      return value;
    }
  }

  private void record(ColumnPlan plan, List<Hit> hits) {
    for (Hit h : hits) {
      String key = plan.name() + "\u0000" + h.type();
      if (detectorHits.add(key)) {
        applied.add(
            new AppliedMask(plan.name(), null, "detector:" + h.type(), MaskStrategy.REDACT));
      }
    }
  }

  @Override
  public List<AppliedMask> applied() {
    return List.copyOf(applied);
  }
}
