package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.catalog.Catalog;
import dev.gatehouse.engine.masking.catalog.RelationInfo;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
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

  /**
   * Every relation under {@code table} when it is a view, views below it included: the relations of
   * the columns {@link SourceExpander} finds under all of the view's columns. The view itself is
   * looked up afresh when the cache has no such relation (it may have been created a moment ago).
   */
  private static Set<TableRef> under(TableRef table, Catalog catalog, String database) {
    RelationInfo relation = table.schema() == null ? null : catalog.relationNow(database, table);
    if (relation == null || !relation.isView()) {
      return Set.of();
    }
    Set<TableRef> found = new LinkedHashSet<>();
    Set<ColumnRef> whole = Set.of(new ColumnRef(table, LineageResolver.ALL_COLUMNS));
    for (ColumnRef c : new SourceExpander(catalog, database).expand(whole)) {
      if (!c.equals(LineageResolver.TRANSFORMED_OPAQUE) && c.table().schema() != null) {
        found.add(c.table());
      }
    }
    return found;
  }
}
