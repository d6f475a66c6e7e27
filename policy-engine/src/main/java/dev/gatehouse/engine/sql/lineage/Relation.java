package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;

/** Something a FROM clause names: a base relation (table or view) or a derived one. */
sealed interface Relation {

  /** The name the query refers to it by: its alias, or its own name. */
  String alias();

  /** The lineage of {@code name} read from this relation. */
  Lineage column(String name);

  /** True when this relation certainly has a column called {@code name}. */
  boolean hasColumn(String name);

  /** The lineage of a whole-row reference to this relation. */
  Lineage wholeRow();

  /** The output columns {@code alias.*} expands to. */
  List<OutputColumn> star();

  /**
   * A table or view whose columns only the catalog knows. Column aliases ({@code FROM t AS x(a,
   * b)}) rename its first columns; such a column is named by position ({@code #1}), which the
   * planner resolves with the catalog.
   */
  record Base(String alias, TableRef table, List<String> columnAliases) implements Relation {
    public Base {
      columnAliases = List.copyOf(columnAliases);
    }

    @Override
    public Lineage column(String name) {
      int position = columnAliases.indexOf(name);
      return new Lineage()
          .add(
              new ColumnRef(
                  table, position < 0 ? name : LineageResolver.POSITION + (position + 1)));
    }

    @Override
    public boolean hasColumn(String name) {
      return columnAliases.contains(name);
    }

    @Override
    public Lineage wholeRow() {
      return new Lineage().add(new ColumnRef(table, LineageResolver.ALL_COLUMNS));
    }

    @Override
    public List<OutputColumn> star() {
      return List.of(wholeRow().named(LineageResolver.ALL_COLUMNS));
    }
  }

  /**
   * The target of INSERT, UPDATE or MERGE as RETURNING sees it: every column may hold what the
   * statement wrote.
   */
  record Written(Base base, Lineage written) implements Relation {
    @Override
    public String alias() {
      return base.alias();
    }

    @Override
    public Lineage column(String name) {
      return base.column(name).add(written);
    }

    @Override
    public boolean hasColumn(String name) {
      return base.hasColumn(name);
    }

    @Override
    public Lineage wholeRow() {
      return base.wholeRow().add(written);
    }

    @Override
    public List<OutputColumn> star() {
      return List.of(wholeRow().named(LineageResolver.ALL_COLUMNS));
    }
  }

  /**
   * A subquery, CTE, VALUES list or function in FROM, with the lineage of each column. Columns may
   * include star entries of base relations (whose names the catalog holds); {@code open} means
   * further column names are unknown (a function returning a record), so any name reads the whole.
   */
  record Derived(String alias, List<OutputColumn> columns, boolean open) implements Relation {
    public Derived {
      columns = List.copyOf(columns);
    }

    @Override
    public Lineage column(String name) {
      for (OutputColumn c : columns) {
        if (!c.name().equals(LineageResolver.ALL_COLUMNS) && c.name().equals(name)) {
          return Lineage.of(c);
        }
      }
      Lineage narrowed = new Lineage();
      boolean anyStar = false;
      for (OutputColumn c : columns) {
        if (c.name().equals(LineageResolver.ALL_COLUMNS)) {
          anyStar = true;
          narrowed.add(narrow(c, name));
        }
      }
      // A name the query uses but no column declares: PostgreSQL would find it in a star entry, or
      // fail; anything else is counted as the whole relation, which can only mask more.
      return anyStar && !open ? narrowed : wholeRow();
    }

    private static Lineage narrow(OutputColumn star, String name) {
      Lineage l = new Lineage();
      for (ColumnRef source : star.sources()) {
        l.add(
            source.column().equals(LineageResolver.ALL_COLUMNS)
                ? new ColumnRef(source.table(), name)
                : source);
      }
      return star.opaque() ? l.markOpaque() : l;
    }

    @Override
    public boolean hasColumn(String name) {
      return columns.stream().anyMatch(c -> c.name().equals(name));
    }

    @Override
    public Lineage wholeRow() {
      Lineage l = new Lineage();
      columns.forEach(l::add);
      return l;
    }

    @Override
    public List<OutputColumn> star() {
      return columns;
    }
  }
}
