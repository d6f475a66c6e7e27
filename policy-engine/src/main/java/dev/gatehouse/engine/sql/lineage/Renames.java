package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Alias;

/** Column lists that rename a subquery's, CTE's or function's columns ({@code AS x(a, b)}). */
final class Renames {

  private Renames() {}

  static Relation aliased(Relation.Derived cte, String alias, Alias withColumns) {
    List<OutputColumn> columns = cte.columns();
    if (withColumns != null && withColumns.getAliasColumns() != null) {
      columns =
          rename(
              columns,
              withColumns.getAliasColumns().stream().map(c -> Names.identifier(c.name)).toList());
    }
    return new Relation.Derived(alias, columns, cte.open());
  }

  static Relation.Derived derived(
      Alias alias, String defaultName, List<OutputColumn> columns, boolean open) {
    if (alias == null) {
      return new Relation.Derived(defaultName, columns, open);
    }
    List<OutputColumn> renamed = columns;
    if (alias.getAliasColumns() != null) {
      renamed =
          rename(
              columns,
              alias.getAliasColumns().stream().map(c -> Names.identifier(c.name)).toList());
    }
    return new Relation.Derived(Names.identifier(alias.getName()), renamed, open);
  }

  /** Positional renaming by a column list; PostgreSQL keeps the names of columns past its end. */
  static List<OutputColumn> rename(List<OutputColumn> columns, List<String> names) {
    if (names.isEmpty()) {
      return columns;
    }
    int firstStar = -1;
    for (int i = 0; i < columns.size() && firstStar < 0; i++) {
      if (columns.get(i).name().equals(LineageResolver.ALL_COLUMNS)) {
        firstStar = i;
      }
    }
    if (firstStar >= 0 && firstStar < names.size()) {
      return renameAcrossStar(columns, names, firstStar);
    }
    List<OutputColumn> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      OutputColumn c = columns.get(i);
      boolean star = c.name().equals(LineageResolver.ALL_COLUMNS);
      out.add(
          i < names.size() && !star ? new OutputColumn(names.get(i), c.sources(), c.opaque()) : c);
    }
    return out;
  }

  /**
   * A star ({@code SELECT * FROM t}) stands for as many columns as {@code t} has, which only the
   * catalog knows: a name at or past it may be any column from the star on ({@code (SELECT * FROM
   * app.customers) s(a, b, c, d)} makes {@code d} the SSN). Each such name derives from all of them
   * (fail closed); the star and the columns after it stay for {@code SELECT *} and for names the
   * list does not reach.
   */
  private static List<OutputColumn> renameAcrossStar(
      List<OutputColumn> columns, List<String> names, int firstStar) {
    List<OutputColumn> out = new ArrayList<>();
    for (int i = 0; i < firstStar; i++) {
      OutputColumn c = columns.get(i);
      out.add(new OutputColumn(names.get(i), c.sources(), c.opaque()));
    }
    java.util.Set<dev.gatehouse.engine.sql.model.ColumnRef> tail = new java.util.LinkedHashSet<>();
    boolean opaque = false;
    for (int i = firstStar; i < columns.size(); i++) {
      tail.addAll(columns.get(i).sources());
      opaque |= columns.get(i).opaque();
    }
    for (int i = firstStar; i < names.size(); i++) {
      out.add(new OutputColumn(names.get(i), tail, opaque));
    }
    out.addAll(columns.subList(firstStar, columns.size()));
    return out;
  }
}
