package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.catalog.Catalog;
import dev.gatehouse.engine.masking.catalog.RelationInfo;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.ColumnRef;
import dev.gatehouse.engine.sql.OutputColumn;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.TableRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A write to a view is a write to the relations under it: PostgreSQL passes an INSERT, UPDATE or
 * DELETE on an updatable view on to its base table. Policy rules name tables ({@code writes:
 * [app.customers]}), so the relations a statement writes gain every relation its views read, down
 * to the tables (red-team T9: a write through a view the principal had created was matched by the
 * view's name only, and the deny rule on the base table did not fire).
 */
final class ViewWrites {

  /** Views over views deeper than this count as writing everything they could reach so far. */
  private static final int MAX_VIEWS = 64;

  private ViewWrites() {}

  /**
   * {@code analysis} with each statement's written relations completed by the relations under the
   * views among them; unchanged when it writes no view.
   *
   * @throws dev.gatehouse.engine.masking.catalog.CatalogException when the catalog cannot be read
   */
  static Analysis expand(Analysis analysis, Catalog catalog, String database) {
    List<StatementInfo> statements = new ArrayList<>();
    boolean changed = false;
    for (StatementInfo s : analysis.statements()) {
      Set<TableRef> written = new LinkedHashSet<>(s.tablesWritten());
      for (TableRef t : s.tablesWritten()) {
        written.addAll(under(t, catalog, database));
      }
      if (written.equals(s.tablesWritten())) {
        statements.add(s);
        continue;
      }
      changed = true;
      statements.add(
          new StatementInfo(
              s.sql(),
              s.commandTag(),
              s.statementClass(),
              s.tablesRead(),
              written,
              s.functions(),
              s.settings(),
              s.riskFlags(),
              s.outputColumns(),
              s.uses()));
    }
    return changed
        ? new Analysis(analysis.sql(), statements, analysis.fingerprint(), analysis.exceeded())
        : analysis;
  }

  /** Every relation under {@code table} when it is a view, views below it included. */
  private static Set<TableRef> under(TableRef table, Catalog catalog, String database) {
    Set<TableRef> found = new LinkedHashSet<>();
    Deque<TableRef> todo = new ArrayDeque<>();
    todo.add(table);
    int views = 0;
    while (!todo.isEmpty() && views < MAX_VIEWS) {
      TableRef next = todo.poll();
      RelationInfo relation = next.schema() == null ? null : catalog.relationNow(database, next);
      if (relation == null || !relation.isView()) {
        continue;
      }
      views++;
      for (OutputColumn column : relation.viewColumns().values()) {
        for (ColumnRef source : column.sources()) {
          if (source.table().schema() != null && found.add(source.table())) {
            todo.add(source.table());
          }
        }
      }
    }
    return found;
  }
}
