package dev.gatehouse.engine.sql.lineage;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Conditions inside a select list: a CASE's WHEN (and its operand), an aggregate's FILTER and a
 * divisor. Their outcome decides whether a row is counted or an error is raised ({@code CASE WHEN
 * ssn LIKE '2%' THEN 1/0 END}), which reveals a bit of the value even though the output column is
 * masked; so they are uses, like a WHERE.
 */
final class Conditions {

  /** A condition and the clause it is part of. */
  record Found(String clause, Object node) {}

  private Conditions() {}

  static List<Found> in(Object expression) {
    List<Found> out = new ArrayList<>();
    collect(expression, out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void collect(Object node, List<Found> out, Set<Object> seen) {
    if (node == null || node instanceof String || node instanceof Number || node instanceof Enum) {
      return;
    }
    if (node instanceof Collection<?> items) {
      items.forEach(i -> collect(i, out, seen));
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, out, seen));
      return;
    }
    if (!ExpressionLineage.isSyntaxNode(node.getClass())
        || node instanceof Select
        || !seen.add(node)) {
      return;
    }
    switch (node) {
      case CaseExpression c when c.getSwitchExpression() != null ->
          out.add(new Found("CASE operand in the select list", c.getSwitchExpression()));
      case WhenClause w ->
          out.add(new Found("CASE WHEN in the select list", w.getWhenExpression()));
      case AnalyticExpression a -> {
        // FILTER decides what counts; a window's PARTITION BY and ORDER BY decide the order in
        // which rows come back (PostgreSQL emits them in the window's sort order)
        if (a.getFilterExpression() != null) {
          out.add(new Found("FILTER in the select list", a.getFilterExpression()));
        }
        boolean window =
            a.getType() == net.sf.jsqlparser.expression.AnalyticType.OVER
                || a.getType() == net.sf.jsqlparser.expression.AnalyticType.WITHIN_GROUP_OVER;
        if (window && a.getPartitionExpressionList() != null) {
          out.add(new Found("window in the select list", a.getPartitionExpressionList()));
        }
        if (window && a.getOrderByElements() != null) {
          out.add(new Found("window in the select list", a.getOrderByElements()));
        }
        if (window && a.getWindowElement() != null) {
          // a frame's bounds decide which rows each result is computed over
          out.add(new Found("window frame in the select list", a.getWindowElement()));
        }
      }
      case Division d -> out.add(new Found("divisor in the select list", d.getRightExpression()));
      case IntegerDivision d ->
          out.add(new Found("divisor in the select list", d.getRightExpression()));
      case Modulo m -> out.add(new Found("divisor in the select list", m.getRightExpression()));
      default -> {}
    }
    for (Field f : ExpressionLineage.fields(node.getClass())) {
      try {
        collect(f.get(node), out, seen);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read syntax tree field " + f, e);
      }
    }
  }
}
