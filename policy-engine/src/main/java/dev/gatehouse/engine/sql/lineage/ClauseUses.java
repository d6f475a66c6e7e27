package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;

/**
 * Collects the uses of column values outside the select list (inference control, {@link
 * ColumnUse}). Fail closed: every field of a query node that is not the select list, a FROM item or
 * a WITH item is a use, whatever JSqlParser calls it, so a clause nobody thought of still counts;
 * only the top-level AND conjuncts of a WHERE are told apart as lookups.
 */
final class ClauseUses {

  /** Fields whose contents are relations, outputs or CTEs, handled where they are resolved. */
  private static final Set<String> STRUCTURAL =
      Set.of(
          "selectItems",
          "fromItem",
          "joins",
          "withItemsList",
          "selects",
          "operations",
          "select",
          "alias",
          "expressions",
          "table",
          "where",
          "intoTables",
          "returningClause",
          "updateSets",
          "columns",
          "values",
          "usingList",
          "usingFromItemList",
          "tables",
          "startJoins",
          "setUpdateSets",
          "duplicateUpdateSets",
          "conflictAction",
          "conflictTarget",
          "onCondition",
          "usingTable",
          "usingAlias");

  private static final Map<String, String> LABELS =
      Map.of(
          "orderByElements", "ORDER BY",
          "groupBy", "GROUP BY",
          "having", "HAVING",
          "limit", "LIMIT",
          "offset", "OFFSET",
          "fetch", "FETCH",
          "distinct", "DISTINCT ON",
          "windowDefinitions", "WINDOW",
          "qualify", "QUALIFY");

  private static final java.util.regex.Pattern LITERAL =
      java.util.regex.Pattern.compile(
          "'(?:[^']|'')*'|(?<![$\\w])\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?\\b");

  private final SelectLineage selects;
  private final Set<ColumnUse> uses = new LinkedHashSet<>();

  ClauseUses(SelectLineage selects) {
    this.selects = selects;
  }

  List<ColumnUse> all() {
    return List.copyOf(uses);
  }

  void add(String clause, Object node, Lineage lineage, boolean lookup, ColumnRef writtenTo) {
    // a function with no column arguments in FROM or a select list decides its own row count
    boolean rowSource = clause.equals("FROM") || clause.equals(SetReturning.CLAUSE);
    if (lineage.sources().isEmpty() && writtenTo == null && (!lineage.isOpaque() || rowSource)) {
      return;
    }
    Set<ColumnRef> sources = new LinkedHashSet<>(lineage.sources());
    if (lineage.isOpaque() && !(rowSource && lineage.sources().isEmpty())) {
      // a function lineage cannot see into may return masked values itself
      sources.add(LineageResolver.TRANSFORMED_OPAQUE);
    }
    // Literal-free, like the fingerprint the analysis is cached by: a cached analysis of the same
    // statement with other literals must be equal to a fresh one.
    String text =
        LITERAL
            .matcher(String.valueOf(node))
            .replaceAll(m -> m.group().startsWith("'") ? "'?'" : "?");
    if (text.length() > 160) {
      text = text.substring(0, 157) + "...";
    }
    uses.add(new ColumnUse(clause, text, sources, lookup, writtenTo));
  }

  /**
   * Every clause of {@code node} but its structure: ORDER BY, GROUP BY (output names and positions
   * resolved to the select list), HAVING, LIMIT, OFFSET, FETCH, DISTINCT ON, WINDOW, and anything
   * else the node holds.
   */
  void clauses(Object node, Scope scope, List<OutputColumn> outputs) {
    for (Field f : ExpressionLineage.fields(node.getClass())) {
      if (STRUCTURAL.contains(f.getName())) {
        continue;
      }
      Object value;
      try {
        value = f.get(node);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read syntax tree field " + f, e);
      }
      if (value == null || value instanceof String || value instanceof Boolean) {
        continue;
      }
      Lineage l = ExpressionLineage.of(value, scope, selects);
      l.add(outputReferences(value, outputs));
      add(LABELS.getOrDefault(f.getName(), f.getName()), value, l, false, null);
    }
  }

  /** ORDER BY / GROUP BY / DISTINCT ON may name an output column or give its position. */
  private static Lineage outputReferences(Object clause, List<OutputColumn> outputs) {
    Lineage l = new Lineage();
    List<Object> items = new ArrayList<>();
    if (clause instanceof List<?> list) {
      items.addAll(list);
    } else if (clause instanceof net.sf.jsqlparser.statement.select.GroupByElement g) {
      if (g.getGroupByExpressionList() != null) {
        items.addAll(g.getGroupByExpressionList());
      }
      // GROUPING SETS ((2), (1, 2)) give positions too (red-team round 13).
      if (g.getGroupingSets() != null) {
        for (var set : g.getGroupingSets()) {
          if (set != null) {
            items.addAll(set);
          }
        }
      }
    } else if (clause instanceof net.sf.jsqlparser.statement.select.Distinct d
        && d.getOnSelectItems() != null) {
      d.getOnSelectItems().forEach(i -> items.add(i.getExpression()));
    }
    for (Object item : items) {
      Object e = item instanceof OrderByElement o ? o.getExpression() : item;
      // PostgreSQL drops parentheses: (2) and ((2)) are positions too (red-team round 12).
      e = withoutParentheses(e);
      if (e instanceof LongValue n && n.getValue() >= 1) {
        // A star before the position stands for columns not counted yet (red-team round 12:
        // SELECT * ... ORDER BY 4 sorted on ssn): the position may be any of them.
        long position = n.getValue();
        for (int i = 0; i < outputs.size() && i < position; i++) {
          if (LineageResolver.ALL_COLUMNS.equals(outputs.get(i).name())) {
            l.add(outputs.get(i));
          }
        }
        if (position <= outputs.size()) {
          l.add(outputs.get((int) position - 1));
        }
      } else if (e instanceof Column c && c.getTable() == null) {
        String name = Names.identifier(c.getColumnName());
        outputs.stream().filter(o -> o.name().equals(name)).forEach(l::add);
      }
    }
    return l;
  }

  private static Object withoutParentheses(Object e) {
    while (true) {
      if (e
              instanceof
              net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> p
          && p.size() == 1) {
        e = p.get(0);
      } else if (e instanceof net.sf.jsqlparser.expression.Parenthesis p) {
        e = p.getExpression();
      } else {
        return e;
      }
    }
  }

  /** A WHERE: each top-level AND conjunct is a use; lookups are marked as such. */
  void where(String clause, Expression where, Scope scope) {
    if (where == null) {
      return;
    }
    List<Expression> conjuncts = new ArrayList<>();
    split(where, conjuncts);
    for (Expression c : conjuncts) {
      Column column = lookupColumn(c);
      boolean lookup = column != null && baseColumn(column, scope);
      add(clause, c, ExpressionLineage.of(c, scope, selects), lookup, null);
    }
  }

  /** JOIN ... ON and USING: rows are matched on the values. */
  void join(Join join, Scope scope) {
    if (join.getOnExpressions() != null) {
      for (Expression on : join.getOnExpressions()) {
        add("JOIN ON", on, ExpressionLineage.of(on, scope, selects), false, null);
      }
    }
    if (join.isNatural()) {
      // NATURAL matches rows on every column name both sides share, which only the catalog knows:
      // fail closed, every column of every relation of this level is compared
      Lineage l = new Lineage();
      scope.relations().forEach(r -> r.star().forEach(l::add));
      add("NATURAL JOIN", join, l, false, null);
    }
    if (join.getUsingColumns() != null) {
      // USING names a column of both sides: every relation of this level may hold it
      for (Column c : join.getUsingColumns()) {
        String name = Names.identifier(c.getColumnName());
        Lineage l = scope.unqualified(name);
        scope.relations().forEach(r -> l.add(r.column(name)));
        add("JOIN USING", c, l, false, null);
      }
    }
  }

  private static void split(Expression e, List<Expression> out) {
    Expression inner = unwrap(e);
    if (inner instanceof AndExpression and) {
      split(and.getLeftExpression(), out);
      split(and.getRightExpression(), out);
    } else {
      out.add(inner);
    }
  }

  private static Expression unwrap(Expression e) {
    Expression x = e;
    while (true) {
      if (x instanceof Parenthesis p) {
        x = p.getExpression();
      } else if (x instanceof ExpressionList<?> list
          && list.size() == 1
          && list.getFirst() instanceof Expression only) {
        x = only;
      } else {
        return x;
      }
    }
  }

  /** The column of {@code col = const}, {@code col IN (consts)}, {@code col IS [NOT] NULL}. */
  private static Column lookupColumn(Expression e) {
    switch (e) {
      case EqualsTo eq -> {
        Expression l = unwrap(eq.getLeftExpression());
        Expression r = unwrap(eq.getRightExpression());
        if (l instanceof Column c && constant(r)) {
          return c;
        }
        if (r instanceof Column c && constant(l)) {
          return c;
        }
        return null;
      }
      case InExpression in -> {
        if (!(unwrap(in.getLeftExpression()) instanceof Column c)
            || !(in.getRightExpression() instanceof ExpressionList<?> list)
            || list.isEmpty()) {
          return null;
        }
        for (Object item : list) {
          if (!(item instanceof Expression x) || !constant(unwrap(x))) {
            return null;
          }
        }
        return c;
      }
      case IsNullExpression isNull -> {
        return unwrap(isNull.getLeftExpression()) instanceof Column c ? c : null;
      }
      default -> {
        return null;
      }
    }
  }

  /** A literal or a parameter, possibly signed or cast. */
  private static boolean constant(Expression e) {
    return switch (e) {
      case StringValue s -> true;
      case LongValue l -> true;
      case DoubleValue d -> true;
      case HexValue h -> true;
      case NullValue n -> true;
      case JdbcParameter p -> true;
      case JdbcNamedParameter p -> true;
      case SignedExpression s -> constant(unwrap(s.getExpression()));
      case CastExpression c -> constant(unwrap(c.getLeftExpression()));
      default -> false;
    };
  }

  /** True when {@code column} is a table's (or view's) own column, not a computed one. */
  private static boolean baseColumn(Column column, Scope scope) {
    if (column.getTable() != null && column.getTable().getName() != null) {
      if (column.getTable().getSchemaName() != null) {
        return false;
      }
      return scope.relation(Names.identifier(column.getTable().getName())) instanceof Relation.Base;
    }
    return scope.onlyBaseOwners(Names.identifier(column.getColumnName()));
  }
}
