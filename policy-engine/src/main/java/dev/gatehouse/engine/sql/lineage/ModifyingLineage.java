package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.OutputColumn;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;

/** The lineage of RETURNING lists of INSERT, UPDATE and DELETE, also inside CTEs. */
final class ModifyingLineage {

  private final SelectLineage selects;

  ModifyingLineage(SelectLineage selects) {
    this.selects = selects;
  }

  List<OutputColumn> ofCte(WithItem<?> item, Scope scope) {
    if (item.getInsert() != null) {
      return insert(item.getInsert().getInsert(), scope);
    }
    if (item.getUpdate() != null) {
      return update(item.getUpdate().getUpdate(), scope);
    }
    if (item.getDelete() != null) {
      return delete(item.getDelete().getDelete(), scope);
    }
    return List.of(new Lineage().markOpaque().named("?column?"));
  }

  List<OutputColumn> insert(Insert insert, Scope outer) {
    return returning(insert.getReturningClause(), insert.getTable(), List.of(), outer);
  }

  /** MERGE ... RETURNING (PostgreSQL 17) reads the target and the USING source. */
  List<OutputColumn> merge(Merge merge, Scope outer) {
    List<FromItem> from = merge.getFromItem() == null ? List.of() : List.of(merge.getFromItem());
    return returning(merge.getReturningClause(), merge.getTable(), from, outer);
  }

  List<OutputColumn> update(Update update, Scope outer) {
    List<FromItem> from = new ArrayList<>();
    if (update.getFromItem() != null) {
      from.add(update.getFromItem());
    }
    if (update.getJoins() != null) {
      update.getJoins().stream().map(Join::getFromItem).forEach(from::add);
    }
    return returning(update.getReturningClause(), update.getTable(), from, outer);
  }

  List<OutputColumn> delete(Delete delete, Scope outer) {
    List<FromItem> from = new ArrayList<>();
    if (delete.getUsingFromItemList() != null) {
      from.addAll(delete.getUsingFromItemList());
    }
    if (delete.getUsingList() != null) {
      from.addAll(delete.getUsingList());
    }
    if (delete.getJoins() != null) {
      delete.getJoins().stream().map(Join::getFromItem).forEach(from::add);
    }
    return returning(delete.getReturningClause(), delete.getTable(), from, outer);
  }

  private List<OutputColumn> returning(
      ReturningClause clause, Table target, List<FromItem> from, Scope outer) {
    if (clause == null || clause.isEmpty()) {
      return List.of();
    }
    Scope scope = outer.child();
    selects.addFrom(target, scope);
    from.forEach(f -> selects.addFrom(f, scope));
    return selects.items(clause, scope);
  }
}
