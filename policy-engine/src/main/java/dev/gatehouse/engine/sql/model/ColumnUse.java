package dev.gatehouse.engine.sql.model;

import java.util.Set;

/**
 * A use of column values outside the select list: in a filter, a join, a grouping, an ordering, a
 * limit, the arguments of a set-returning function (all of which shape which or how many rows come
 * back), or a value written to a table. Masking hides values in the result; these uses are what
 * inference control decides on.
 *
 * @param clause where the use is ({@code WHERE}, {@code JOIN ON}, {@code ORDER BY}, {@code UPDATE
 *     SET}, ...)
 * @param expression the expression's text, as the analyser saw it (shortened)
 * @param sources every base column (or whole row, {@code table.*}) the expression derives from
 * @param lookup true for a lookup: {@code column = literal|$n}, {@code column IN (literals)} or
 *     {@code column IS [NOT] NULL} of a table's own column, at the top-level AND of a WHERE
 * @param writtenTo for a write, the column written ({@code table.*} when the column is not known);
 *     null for every other use
 */
public record ColumnUse(
    String clause, String expression, Set<ColumnRef> sources, boolean lookup, ColumnRef writtenTo) {

  public ColumnUse {
    sources = Set.copyOf(sources);
  }

  public boolean isWrite() {
    return writtenTo != null;
  }
}
