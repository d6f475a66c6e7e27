package dev.gatehouse.mcp.exec;

import dev.gatehouse.engine.masking.AppliedMask;
import java.time.Duration;
import java.util.List;

/**
 * What a statement returned, already masked.
 *
 * @param columns the result columns; empty for a statement without rows
 * @param rows cells as PostgreSQL's text output, null for SQL NULL
 * @param rowCount rows returned, or rows affected for a statement without rows
 * @param rowsCut true when more rows than the row limit came back (the rest were not read)
 * @param cellsCut true when a cell's text was cut to the gateway's cell size
 * @param earlier the results of the statements before this one when the message held several (this
 *     is the last statement's result), in order; empty for one statement
 */
public record QueryResult(
    List<Column> columns,
    List<List<String>> rows,
    long rowCount,
    boolean rowsCut,
    boolean cellsCut,
    List<AppliedMask> masks,
    Duration duration,
    List<QueryResult> earlier) {

  public QueryResult {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
    masks = List.copyOf(masks);
    earlier = List.copyOf(earlier);
  }

  /** The result of a single statement. */
  public QueryResult(
      List<Column> columns,
      List<List<String>> rows,
      long rowCount,
      boolean rowsCut,
      boolean cellsCut,
      List<AppliedMask> masks,
      Duration duration) {
    this(columns, rows, rowCount, rowsCut, cellsCut, masks, duration, List.of());
  }

  /** Whether anything was cut. */
  public boolean truncated() {
    return rowsCut || cellsCut;
  }

  /** Every statement's result in order: the earlier ones, then this one (without its earlier). */
  public List<QueryResult> statements() {
    if (earlier.isEmpty()) {
      return List.of(this);
    }
    List<QueryResult> all = new java.util.ArrayList<>(earlier);
    all.add(new QueryResult(columns, rows, rowCount, rowsCut, cellsCut, masks, duration));
    return List.copyOf(all);
  }

  /** The masks applied to any statement's cells, for the audit record of the whole message. */
  public List<AppliedMask> allMasks() {
    return statements().stream().flatMap(r -> r.masks().stream()).toList();
  }

  /** Rows returned or affected by all statements together. */
  public long totalRowCount() {
    return statements().stream().mapToLong(QueryResult::rowCount).sum();
  }

  /** Rows of any statement were cut. */
  public boolean anyRowsCut() {
    return rowsCut || earlier.stream().anyMatch(QueryResult::rowsCut);
  }

  /** Cells of any statement were cut. */
  public boolean anyCellsCut() {
    return cellsCut || earlier.stream().anyMatch(QueryResult::cellsCut);
  }

  /** A result column: its name, PostgreSQL type name, and whether any cell was masked. */
  public record Column(String name, String type, boolean masked) {}
}
