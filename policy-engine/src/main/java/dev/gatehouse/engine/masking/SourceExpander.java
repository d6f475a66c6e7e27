package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.catalog.Catalog;
import dev.gatehouse.engine.masking.catalog.RelationInfo;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns lineage sources into the base-table columns they stand for, through the catalog: a star
 * becomes every column, a view column the base columns it exposes (recursively), and a candidate
 * the catalog shows does not exist is dropped. View columns stay in the result beside their base
 * columns, so rules may name either. A relation the catalog does not know stays as named, so its
 * rules still match by name.
 */
final class SourceExpander {

  private static final int MAX_VIEW_DEPTH = 16;

  private final Catalog catalog;
  private final String database;
  private boolean opaque;

  SourceExpander(Catalog catalog, String database) {
    this.catalog = catalog;
    this.database = database;
  }

  /** True when some view on the way had lineage that cannot be established. */
  boolean sawOpaqueView() {
    return opaque;
  }

  Set<ColumnRef> expand(Set<ColumnRef> sources) {
    Set<ColumnRef> out = new LinkedHashSet<>();
    for (ColumnRef s : sources) {
      expand(s, out, 0);
    }
    return out;
  }

  /** The {@code #n}th live column of {@code relation}, or all of them when there is none. */
  private static String byPosition(RelationInfo relation, String column) {
    int n;
    try {
      n = Integer.parseInt(column.substring(LineageResolver.POSITION.length()));
    } catch (NumberFormatException e) {
      return LineageResolver.ALL_COLUMNS;
    }
    for (String name : relation.columns()) {
      if (name != null && --n == 0) {
        return name;
      }
    }
    return LineageResolver.ALL_COLUMNS;
  }

  private void expand(ColumnRef source, Set<ColumnRef> out, int depth) {
    if (source.equals(LineageResolver.TRANSFORMED_OPAQUE)) {
      out.add(source); // a mark, not a relation
      return;
    }
    if (depth > MAX_VIEW_DEPTH) {
      opaque = true;
      out.add(source);
      return;
    }
    RelationInfo relation = catalog.relation(database, source.table());
    if (relation == null) {
      // The schema may be a guess made without a catalog: try the name in every schema.
      List<RelationInfo> named = catalog.relationsNamed(database, source.table().name());
      if (named.isEmpty()) {
        out.add(source);
      }
      for (RelationInfo r : named) {
        expand(r, source.column(), out, depth);
      }
      return;
    }
    expand(relation, source.column(), out, depth);
  }

  void expand(RelationInfo relation, String column, Set<ColumnRef> out, int depth) {
    if (column.startsWith(LineageResolver.POSITION)) {
      column = byPosition(relation, column);
    }
    boolean all = column.equals(LineageResolver.ALL_COLUMNS);
    if (relation.isView()) {
      for (OutputColumn c : relation.viewColumns().values()) {
        if (all || c.name().equals(column)) {
          // the view column itself too, so that rules written against views also match
          out.add(new ColumnRef(relation.name(), c.name()));
          opaque |= c.opaque();
          for (ColumnRef s : c.sources()) {
            expand(s, out, depth + 1);
          }
        }
      }
      return;
    }
    for (String name : relation.columns()) {
      if (name != null && (all || name.equals(column))) {
        out.add(new ColumnRef(relation.name(), name));
      }
    }
  }
}
