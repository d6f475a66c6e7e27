package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.AnalysisContext;
import dev.gatehouse.engine.sql.OutputColumn;
import java.util.List;
import net.sf.jsqlparser.statement.Statement;

/**
 * Computes, for each output column of a parsed statement, the base columns its values derive from.
 * Catalog-free: {@code *} and whole-row references yield {@code ColumnRef(table, "*")}, which the
 * mask planner expands with the catalog.
 */
public final class LineageResolver {

  private LineageResolver() {}

  /** The lineage of {@code statement}'s result columns; empty when it returns no rows. */
  public static List<OutputColumn> outputColumns(Statement statement, AnalysisContext context) {
    // Filled in by the masking work (issue 4); until then no lineage is known.
    return List.of();
  }
}
