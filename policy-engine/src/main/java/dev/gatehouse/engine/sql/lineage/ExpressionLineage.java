package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.Names;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.RowGetExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The lineage of one expression. It walks every field of the syntax tree rather than a visitor's
 * chosen children, so a construct this class has never heard of still yields every column it
 * mentions: an unknown node can only add sources, never hide one.
 */
final class ExpressionLineage {

  private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

  private final Scope scope;
  private final SelectLineage selects;
  private final Lineage result = new Lineage();
  private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  private ExpressionLineage(Scope scope, SelectLineage selects) {
    this.scope = scope;
    this.selects = selects;
  }

  static Lineage of(Object expression, Scope scope, SelectLineage selects) {
    ExpressionLineage walker = new ExpressionLineage(scope, selects);
    walker.walk(expression);
    return walker.result;
  }

  private void walk(Object node) {
    if (node == null || node instanceof String || node instanceof Number || node instanceof Enum) {
      return;
    }
    if (node instanceof Collection<?> items) {
      items.forEach(this::walk);
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(this::walk);
      return;
    }
    if (!isSyntaxNode(node.getClass()) || !seen.add(node)) {
      return;
    }
    switch (node) {
      case Column column -> result.add(column(column));
      case AllTableColumns tableStar -> result.add(wholeRow(tableStar.getTable().getName()));
      // a bare `*` inside an expression is count(*): it reads no value
      case AllColumns star -> {}
      case Select subquery -> selects.select(subquery, scope).forEach(result::add);
      case RowGetExpression field when fieldOfRelation(field) -> {}
      case Function function -> {
        checkFunction(function.getMultipartName());
        walkFields(node);
      }
      case AnalyticExpression analytic -> {
        checkFunction(analytic.getName() == null ? List.of() : List.of(analytic.getName()));
        walkFields(node);
      }
      default -> walkFields(node);
    }
  }

  private void checkFunction(List<String> nameParts) {
    if (nameParts == null || !KnownFunctions.transparent(nameParts)) {
      result.markOpaque();
    }
  }

  /** {@code (c).email}: the one column of relation {@code c}, when {@code c} names a relation. */
  private boolean fieldOfRelation(RowGetExpression field) {
    Object inner = field.getExpression();
    if (inner instanceof ExpressionList<?> list && list.size() == 1) {
      inner = list.getFirst();
    }
    if (inner instanceof Column c && c.getTable() == null) {
      String name = Names.identifier(c.getColumnName());
      Relation relation = scope.relation(name);
      if (relation != null && !scope.unqualifiedIsColumn(name)) {
        result.add(relation.column(Names.identifier(field.getColumnName())));
        return true;
      }
    }
    return false;
  }

  private Lineage column(Column column) {
    String name = Names.identifier(column.getColumnName());
    if (column.getTable() == null || column.getTable().getName() == null) {
      return scope.unqualified(name);
    }
    Relation relation = scope.relation(Names.identifier(column.getTable().getName()));
    if (relation != null) {
      return relation.column(name);
    }
    // `a.b` where `a` names no relation: a field of a composite column `a`, or a relation this
    // resolver could not see; count both readings.
    return scope
        .unqualified(Names.identifier(column.getTable().getName()))
        .add(scope.unqualified(name));
  }

  private Lineage wholeRow(String alias) {
    String name = Names.identifier(alias);
    Relation relation = scope.relation(name);
    return relation == null ? scope.unqualified(name) : relation.wholeRow();
  }

  private void walkFields(Object node) {
    for (Field f : fields(node.getClass())) {
      try {
        walk(f.get(node));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read syntax tree field " + f, e);
      }
    }
  }

  static boolean isSyntaxNode(Class<?> type) {
    String name = type.getName();
    return name.startsWith("net.sf.jsqlparser.") && !name.startsWith("net.sf.jsqlparser.parser.");
  }

  static List<Field> fields(Class<?> type) {
    return FIELDS.computeIfAbsent(
        type,
        t -> {
          List<Field> out = new ArrayList<>();
          for (Class<?> k = t; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers())
                  && !f.getType().isPrimitive()
                  && !f.getType().getName().startsWith("net.sf.jsqlparser.parser.")) {
                f.setAccessible(true);
                out.add(f);
              }
            }
          }
          return List.copyOf(out);
        });
  }
}
