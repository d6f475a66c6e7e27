package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * INSERT, UPDATE, DELETE and MERGE, also inside CTEs: the values each writes to which column (a
 * {@link dev.gatehouse.engine.sql.model.ColumnUse} with {@code writtenTo}), the rows their WHERE
 * and ON pick, and the lineage of RETURNING, where a written column carries what was written to it.
 */
final class ModifyingLineage {

  private final SelectLineage selects;

  ModifyingLineage(SelectLineage selects) {
    this.selects = selects;
  }

  List<OutputColumn> ofCte(WithItem<?> item, Scope scope) {
    return switch (item.getParenthesedStatement()) {
      case net.sf.jsqlparser.statement.insert.ParenthesedInsert i -> insert(i.getInsert(), scope);
      case net.sf.jsqlparser.statement.update.ParenthesedUpdate u -> update(u.getUpdate(), scope);
      case net.sf.jsqlparser.statement.delete.ParenthesedDelete d -> delete(d.getDelete(), scope);
      case null, default ->
          List.of(FailClosed.everything(item, scope, selects).named(FailClosed.UNKNOWN));
    };
  }

  List<OutputColumn> insert(Insert insert, Scope outer) {
    Scope scope = withCtes(insert.getWithItemsList(), outer);
    Relation.Base target = target(insert.getTable(), scope);
    List<Column> columns = insert.getColumns() == null ? List.of() : insert.getColumns();
    Lineage written = new Lineage();
    if (insert.getSelect() != null) {
      // the rows go to the table as they are: the write's own checks decide what they may carry
      List<OutputColumn> values = selects.top(insert.getSelect(), scope);
      for (int i = 0; i < values.size(); i++) {
        Lineage l = Lineage.of(values.get(i));
        written.add(l);
        ColumnRef to =
            i < columns.size() && !SelectLineage.isStar(values.get(i))
                ? column(target, columns.get(i))
                : everyColumn(target);
        selects.uses.add("INSERT", item(insert.getSelect(), i), l, false, to);
      }
    }
    if (insert.getConflictAction() != null) {
      Scope withExcluded = scope.child();
      withExcluded.addRelation(target);
      withExcluded.addRelation(
          new Relation.Derived("excluded", List.of(written.named("*excluded*")), true));
      written.add(sets(insert.getConflictAction().getUpdateSets(), target, withExcluded));
      selects.uses.where(
          "ON CONFLICT WHERE", insert.getConflictAction().getWhereExpression(), withExcluded);
    }
    return returning(insert.getReturningClause(), target, written, List.of(), scope);
  }

  /**
   * The expression a plain SELECT (or a one-row VALUES) gives column {@code i}, so that a write
   * names what it writes; the whole query when that is not known.
   */
  private static Object item(net.sf.jsqlparser.statement.select.Select select, int i) {
    if (select instanceof net.sf.jsqlparser.statement.select.PlainSelect p
        && p.getSelectItems() != null
        && i < p.getSelectItems().size()
        && p.getSelectItems().stream()
            .noneMatch(
                it ->
                    it.getExpression() instanceof net.sf.jsqlparser.statement.select.AllColumns)) {
      return p.getSelectItems().get(i).getExpression();
    }
    return select;
  }

  /** MERGE ... RETURNING (PostgreSQL 17) reads the target and the USING source. */
  List<OutputColumn> merge(Merge merge, Scope outer) {
    Scope scope = withCtes(merge.getWithItemsList(), outer);
    Relation.Base target = target(merge.getTable(), scope);
    List<FromItem> from = merge.getFromItem() == null ? List.of() : List.of(merge.getFromItem());
    Scope inner = scope.child();
    inner.addRelation(target);
    from.forEach(f -> selects.addFrom(f, inner));
    Expression on = merge.getOnCondition();
    if (on != null) {
      selects.uses.add("MERGE ON", on, ExpressionLineage.of(on, inner, selects), false, null);
    }
    Lineage written = new Lineage();
    for (MergeOperation op :
        merge.getOperations() == null ? List.<MergeOperation>of() : merge.getOperations()) {
      if (op instanceof MergeUpdate u) {
        written.add(sets(u.getUpdateSets(), target, inner));
        selects.uses.where("MERGE WHEN", u.getAndPredicate(), inner);
      } else if (op instanceof MergeInsert i) {
        selects.uses.where("MERGE WHEN", i.getAndPredicate(), inner);
        List<Column> columns = i.getColumns() == null ? List.of() : i.getColumns();
        List<?> values = i.getValues() == null ? List.of() : i.getValues();
        for (int k = 0; k < values.size(); k++) {
          Lineage l = ExpressionLineage.of(values.get(k), inner, selects);
          written.add(l);
          ColumnRef to = k < columns.size() ? column(target, columns.get(k)) : everyColumn(target);
          selects.uses.add("MERGE INSERT", values.get(k), l, false, to);
        }
      } else {
        Lineage l = ExpressionLineage.of(op, inner, selects);
        selects.uses.add("MERGE WHEN", op, l, false, null);
      }
    }
    return returning(merge.getReturningClause(), target, written, from, scope);
  }

  List<OutputColumn> update(Update update, Scope outer) {
    Scope scope = withCtes(update.getWithItemsList(), outer);
    Relation.Base target = target(update.getTable(), scope);
    List<FromItem> from = new ArrayList<>();
    if (update.getFromItem() != null) {
      from.add(update.getFromItem());
    }
    if (update.getJoins() != null) {
      update.getJoins().stream().map(Join::getFromItem).forEach(from::add);
    }
    Scope inner = scope.child();
    inner.addRelation(target);
    from.forEach(f -> selects.addFrom(f, inner));
    if (update.getJoins() != null) {
      update.getJoins().forEach(j -> selects.uses.join(j, inner));
    }
    Lineage written = sets(update.getUpdateSets(), target, inner);
    selects.uses.where("WHERE", update.getWhere(), inner);
    selects.uses.clauses(update, inner, List.of());
    return returning(update.getReturningClause(), target, written, from, scope);
  }

  List<OutputColumn> delete(Delete delete, Scope outer) {
    Scope scope = withCtes(delete.getWithItemsList(), outer);
    Relation.Base target = target(delete.getTable(), scope);
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
    Scope inner = scope.child();
    inner.addRelation(target);
    from.forEach(f -> selects.addFrom(f, inner));
    selects.uses.where("WHERE", delete.getWhere(), inner);
    selects.uses.clauses(delete, inner, List.of());
    return returning(delete.getReturningClause(), target, new Lineage(), from, scope);
  }

  private Scope withCtes(List<WithItem<?>> items, Scope outer) {
    Scope scope = outer.child();
    if (items != null) {
      items.forEach(i -> selects.defineCte(i, scope));
    }
    return scope;
  }

  private static Relation.Base target(Table table, Scope scope) {
    String name = Names.identifier(table.getName());
    String alias = table.getAlias() == null ? name : Names.identifier(table.getAlias().getName());
    return new Relation.Base(
        alias, Names.table(table.getSchemaName(), table.getName(), scope.context()), List.of());
  }

  /** The SET list: each column gets its value's lineage (a row of values: every column's). */
  private Lineage sets(List<UpdateSet> sets, Relation.Base target, Scope scope) {
    Lineage all = new Lineage();
    if (sets == null) {
      return all;
    }
    for (UpdateSet set : sets) {
      List<?> values = set.getValues() == null ? List.of() : set.getValues();
      List<Column> columns = set.getColumns() == null ? List.of() : set.getColumns();
      boolean paired = values.size() == columns.size();
      Lineage row = ExpressionLineage.of(values, scope, selects);
      for (int i = 0; i < columns.size(); i++) {
        Lineage l = paired ? ExpressionLineage.of(values.get(i), scope, selects) : row;
        selects.uses.add("SET", set, l, false, column(target, columns.get(i)));
      }
      all.add(row);
    }
    return all;
  }

  private static ColumnRef column(Relation.Base target, Column c) {
    return new ColumnRef(target.table(), Names.identifier(c.getColumnName()));
  }

  private static ColumnRef everyColumn(Relation.Base target) {
    return new ColumnRef(target.table(), LineageResolver.ALL_COLUMNS);
  }

  /**
   * RETURNING: the target's columns carry their stored values and, for columns this statement
   * writes, what it wrote (counted for every column, which can only mask more).
   */
  private List<OutputColumn> returning(
      ReturningClause clause,
      Relation.Base target,
      Lineage written,
      List<FromItem> from,
      Scope outer) {
    if (clause == null || clause.isEmpty()) {
      return List.of();
    }
    Scope scope = outer.child();
    scope.addRelation(new Relation.Written(target, written));
    from.forEach(f -> selects.addFrom(f, scope));
    return selects.items(clause, scope);
  }
}
