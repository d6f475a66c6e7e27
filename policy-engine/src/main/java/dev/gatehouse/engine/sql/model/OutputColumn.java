package dev.gatehouse.engine.sql.model;

import java.util.Set;

/**
 * One column of a statement's result and the source columns its values derive from (lineage).
 *
 * @param name the output name PostgreSQL will report
 * @param sources every base column that flows into it; a whole-row reference counts every column
 * @param opaque true when lineage could not be established (a user function, dynamic SQL): the
 *     policy then chooses between content detection and denial
 */
public record OutputColumn(String name, Set<ColumnRef> sources, boolean opaque) {
  public OutputColumn {
    sources = Set.copyOf(sources);
  }
}
