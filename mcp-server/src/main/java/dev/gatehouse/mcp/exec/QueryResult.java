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
 */
public record QueryResult(
    List<Column> columns,
    List<List<String>> rows,
    long rowCount,
    boolean rowsCut,
    boolean cellsCut,
    List<AppliedMask> masks,
    Duration duration) {

  public QueryResult {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
    masks = List.copyOf(masks);
  }

  /** Whether anything was cut. */
  public boolean truncated() {
    return rowsCut || cellsCut;
  }

  /** A result column: its name, PostgreSQL type name, and whether any cell was masked. */
  public record Column(String name, String type, boolean masked) {}
}
