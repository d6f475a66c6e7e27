package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.ParserText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.schema.Column;

/**
 * Decides whether a write's WHERE (or MERGE's ON) may hold for every row of its target. It folds
 * constants (casts, CASE, coalesce, nullif, greatest, least, NOT/AND/OR), knows a few row-dependent
 * shapes that hold for every row ({@code x = x}, {@code p OR NOT p}, {@code x > 5 OR x <= 5},
 * {@code x IS NOT NULL}, {@code x LIKE '%'}, {@code id IN (SELECT id FROM the same table)}), and
 * treats any condition that names no column of the target (a parameter, a subquery, EXISTS, a
 * function of nothing) as possibly true for every row: it is the same for all rows, and nothing
 * here can know it is false. When unsure, it says "every row" (the write then needs approval).
 */
final class Tautology {

  /** Depends on the row in a way this analysis cannot see through. */
  static final Object ROW = new Object();

  /** The same for every row, value unknown (a parameter, a subquery, a function of nothing). */
  static final Object FREE = new Object();

  static final Object NULL = new Object();

  private static final int MAX_DEPTH = 100;

  private final ParserText text;
  private final RowReferences refs;
  private final String targetTable;
  private final Folding folding;
  private boolean literalConsulted;
  private int depth;

  /**
   * @param targetNames the names the target's columns may be qualified by
   * @param targetTable the target's own name (no schema), for same-table subqueries; may be null
   */
  Tautology(ParserText text, Set<String> targetNames, String targetTable) {
    this(text, targetNames, targetTable, true);
  }

  /**
   * @param alone false when the statement reads other relations beside its target: an unqualified
   *     column is then not known to be the target's ({@link RowReferences})
   */
  Tautology(ParserText text, Set<String> targetNames, String targetTable, boolean alone) {
    this.text = text;
    this.refs = new RowReferences(targetNames, alone);
    this.targetTable = targetTable;
    this.folding = new Folding(this);
  }

  /** True when {@code where} may hold for every row of the target. */
  boolean isTautology(Expression where) {
    Object v = value(where);
    return v == Boolean.TRUE || v == FREE;
  }

  /**
   * True when {@code where} cannot hold for every row whatever its literals' values: it is a
   * conjunction (AND, parentheses) with a conjunct that compares a column of the target with a
   * plain literal ({@code aid = 5678}, {@code id <= 100}). Such a conjunct is row-dependent in
   * {@link #compare} whatever the literal (a bare column is never the same expression as a literal,
   * nor a same-table subquery), and a conjunction with a row-dependent conjunct is never every row
   * ({@link #and}), so {@link #isTautology} gives the same answer for every spelling of the
   * literals. Only conjuncts well within the depth {@link #value} evaluates are counted: past it a
   * conjunct counts as the same for every row, and the others' literals would decide (issue 15:
   * writes were parsed afresh for every message, which made the simple protocol's write path
   * several times slower than the prepared one).
   */
  boolean restrictsWhateverItsLiterals(Expression where) {
    List<Expression> conjuncts = new ArrayList<>();
    conjuncts(where, conjuncts, 0);
    for (Expression c : conjuncts) {
      if (c instanceof ComparisonOperator cmp
          && (columnAndLiteral(cmp.getLeftExpression(), cmp.getRightExpression())
              || columnAndLiteral(cmp.getRightExpression(), cmp.getLeftExpression()))) {
        return true;
      }
    }
    return false;
  }

  private static void conjuncts(Expression e, List<Expression> out, int depth) {
    if (e == null || depth > MAX_DEPTH / 2) {
      return;
    }
    if (e instanceof AndExpression a) {
      conjuncts(a.getLeftExpression(), out, depth + 1);
      conjuncts(a.getRightExpression(), out, depth + 1);
    } else if (e instanceof ExpressionList<?> list
        && list.size() == 1
        && list.get(0) instanceof Expression inner) {
      conjuncts(inner, out, depth + 1);
    } else {
      out.add(e);
    }
  }

  private boolean columnAndLiteral(Expression column, Expression literal) {
    return column instanceof Column c && refs.references(c) && plainLiteral(literal);
  }

  private static boolean plainLiteral(Expression e) {
    return e instanceof LongValue
        || e instanceof DoubleValue
        || e instanceof StringValue
        || (e instanceof SignedExpression s
            && (s.getExpression() instanceof LongValue
                || s.getExpression() instanceof DoubleValue));
  }

  /**
   * True when both sides read a column of the target in common, however spelled ({@code "id" = id},
   * {@code U&"\0069d" = id}, {@code id::bigint = id}, {@code ROW(id) = ROW(id)}, {@code status =
   * status COLLATE "C"}, {@code id <= id + 0}): whether such a condition holds may be the same for
   * every row, which this analysis cannot tell apart from a real restriction, so it counts as
   * {@link #FREE} (every row: fail closed). The same spelling on both sides keeps its exact answer
   * ({@link #compare}). Red-team round 26 (T26-1, T26-2): quoted and converted self-comparisons
   * passed as bounded.
   */
  private boolean shareTargetColumn(Expression a, Expression b) {
    if (a == null || b == null) {
      return false;
    }
    Set<String> left = refs.targetColumns(a);
    if (left.isEmpty()) {
      return false;
    }
    for (String c : refs.targetColumns(b)) {
      if (left.contains(c)) {
        return true;
      }
    }
    return false;
  }

  /** True when a literal's value decided the outcome. */
  boolean literalConsulted() {
    return literalConsulted;
  }

  void consulted() {
    literalConsulted = true;
  }

  String literal(StringValue s) {
    return text.literal(s.getValue());
  }

  Object value(Expression e) {
    if (e == null) {
      return ROW;
    }
    if (++depth > MAX_DEPTH) {
      depth--;
      return FREE; // too deep to judge: fail closed
    }
    try {
      return switch (e) {
        case BooleanValue b -> b.getValue();
        case LongValue l -> new BigDecimal(l.getStringValue());
        case DoubleValue d -> BigDecimal.valueOf(d.getValue());
        case StringValue s -> literalValue(s);
        case NullValue n -> NULL;
        case SignedExpression s -> folding.negate(s);
        case CastExpression c -> folding.cast(c);
        case NotExpression n -> not(n.getExpression());
        case AndExpression a -> and(value(a.getLeftExpression()), value(a.getRightExpression()));
        case OrExpression o -> or(o);
        case IsNullExpression n -> isNull(n, false);
        case IsBooleanExpression b -> isBoolean(b);
        case IsDistinctExpression d -> distinct(d);
        case InExpression in -> in(in);
        case LikeExpression like -> like(like);
        case ComparisonOperator c -> compare(c);
        case Between b -> between(b);
        case CaseExpression c -> folding.caseOf(c);
        case Function f -> folding.function(f);
        case ExpressionList<?> list when list.size() == 1 -> value(list.get(0));
        // Any other operator between two sides that read a column of the target in common
        // (`status ~ status`, `tags @> tags`, `status SIMILAR TO status`): fail closed.
        case BinaryExpression b
            when !(b instanceof AndExpression)
                && !(b instanceof OrExpression)
                && shareTargetColumn(b.getLeftExpression(), b.getRightExpression()) ->
            FREE;
        default -> unknown(e);
      };
    } finally {
      depth--;
    }
  }

  /** What an expression this analysis does not evaluate is: row-dependent or the same for all. */
  Object unknown(Expression e) {
    return refs.references(e) ? ROW : FREE;
  }

  private Object literalValue(StringValue s) {
    String value = literal(s);
    return value == null ? FREE : value;
  }

  private Object not(Expression inner) {
    if (inner instanceof IsNullExpression n) {
      return isNull(n, true);
    }
    if (inner instanceof ExpressionList<?> list && list.size() == 1) {
      return list.get(0) instanceof Expression e ? not(e) : ROW;
    }
    Object v = value(inner);
    return v instanceof Boolean b ? !b : v;
  }

  static Object and(Object l, Object r) {
    if (l == Boolean.FALSE || r == Boolean.FALSE || l == NULL || r == NULL) {
      return Boolean.FALSE; // selects no row
    }
    if (l == Boolean.TRUE && r == Boolean.TRUE) {
      return Boolean.TRUE;
    }
    boolean lAll = l == Boolean.TRUE || l == FREE;
    boolean rAll = r == Boolean.TRUE || r == FREE;
    return lAll && rAll ? FREE : lAll ? r : rAll ? l : ROW;
  }

  private Object or(OrExpression o) {
    List<Expression> terms = new ArrayList<>();
    disjuncts(o, terms);
    boolean free = false;
    boolean allFalse = true;
    for (Expression term : terms) {
      Object v = value(term);
      if (v == Boolean.TRUE) {
        return Boolean.TRUE;
      }
      free |= v == FREE;
      allFalse &= v == Boolean.FALSE || v == NULL;
    }
    if (free) {
      return FREE;
    }
    for (int i = 0; i < terms.size(); i++) {
      for (int j = i + 1; j < terms.size(); j++) {
        if (Complements.of(terms.get(i), terms.get(j))) {
          return Boolean.TRUE;
        }
      }
    }
    return allFalse ? Boolean.FALSE : ROW;
  }

  private static void disjuncts(Expression e, List<Expression> out) {
    if (e instanceof OrExpression o) {
      disjuncts(o.getLeftExpression(), out);
      disjuncts(o.getRightExpression(), out);
    } else if (e instanceof ExpressionList<?> list
        && list.size() == 1
        && list.get(0) instanceof OrExpression inner) {
      disjuncts(inner, out);
    } else {
      out.add(e);
    }
  }

  private Object isNull(IsNullExpression n, boolean negated) {
    boolean notNull = n.isNot() != negated;
    Object v = value(n.getLeftExpression());
    if (v == ROW) {
      // Which columns are NOT NULL is not known here: `x IS NOT NULL` may be every row.
      return notNull ? Boolean.TRUE : ROW;
    }
    if (v == FREE) {
      return FREE;
    }
    consulted();
    return (v == NULL) != notNull;
  }

  private Object isBoolean(IsBooleanExpression b) {
    Object v = value(b.getLeftExpression());
    if (v == FREE || v == ROW) {
      return v;
    }
    consulted();
    boolean matches = v instanceof Boolean bool && bool == b.isTrue();
    return matches != b.isNot();
  }

  private Object distinct(IsDistinctExpression d) {
    if (Complements.same(d.getLeftExpression(), d.getRightExpression())) {
      return !d.isNot() ? Boolean.FALSE : Boolean.TRUE;
    }
    if (shareTargetColumn(d.getLeftExpression(), d.getRightExpression())) {
      return FREE;
    }
    Object l = value(d.getLeftExpression());
    Object r = value(d.getRightExpression());
    if (l == ROW || r == ROW) {
      // `x IS DISTINCT FROM NULL` is `x IS NOT NULL`
      return !d.isNot() && (l == NULL || r == NULL) ? Boolean.TRUE : ROW;
    }
    if (l == FREE || r == FREE) {
      return FREE;
    }
    consulted();
    boolean equal = (l == NULL && r == NULL) || Folding.equal(l, r);
    return equal == d.isNot();
  }

  private Object in(InExpression in) {
    if (in.getRightExpression() instanceof ExpressionList<?> items) {
      for (Object item : items) {
        if (item instanceof Expression x && shareTargetColumn(in.getLeftExpression(), x)) {
          return FREE; // `id IN (id)`, `id IN (1, "id")`
        }
      }
    }
    Object left = value(in.getLeftExpression());
    Expression right = in.getRightExpression();
    if (left == ROW && !in.isNot() && SameTable.selectsEveryRow(right, targetTable, text)) {
      return Boolean.TRUE;
    }
    if (left == ROW || !(right instanceof ExpressionList<?> list)) {
      return left == ROW ? ROW : unknown(in);
    }
    if (left == FREE || left == NULL) {
      return left == NULL ? NULL : unknown(in);
    }
    boolean rowItem = false;
    for (Object item : list) {
      Object v = item instanceof Expression e ? value(e) : ROW;
      if (Folding.equal(left, v)) {
        consulted();
        return !in.isNot();
      }
      rowItem |= v == ROW || v == FREE;
    }
    if (rowItem) {
      return unknown(in);
    }
    consulted();
    return in.isNot();
  }

  private Object like(LikeExpression like) {
    if (shareTargetColumn(like.getLeftExpression(), like.getRightExpression())) {
      return FREE; // `status LIKE status`, `status ILIKE "status"`
    }
    Object left = value(like.getLeftExpression());
    Object pattern = value(like.getRightExpression());
    if (left == ROW) {
      if (!like.isNot() && pattern instanceof String p && !p.isEmpty() && p.matches("%+")) {
        consulted();
        return Boolean.TRUE; // every non-null value
      }
      return ROW;
    }
    return unknown(like);
  }

  /**
   * {@code x BETWEEN [SYMMETRIC] x AND x} holds wherever x is not null, like {@code x = x}; any
   * other BETWEEN over the target's columns depends on the row (the blast radius counts it).
   */
  private Object between(Between b) {
    Expression x = b.getLeftExpression();
    if (refs.references(x)
        && Complements.same(x, b.getBetweenExpressionStart())
        && Complements.same(x, b.getBetweenExpressionEnd())) {
      return b.isNot() ? Boolean.FALSE : Boolean.TRUE;
    }
    // As `x >= start AND x <= end`: every row may pass only when both halves read x's columns
    // (`id BETWEEN id - 1 AND id + 1`); `id BETWEEN 1 AND id` still restricts by its start.
    if (shareTargetColumn(x, b.getBetweenExpressionStart())
        && shareTargetColumn(x, b.getBetweenExpressionEnd())) {
      return FREE;
    }
    return unknown(b);
  }

  private Object compare(ComparisonOperator c) {
    Expression le = c.getLeftExpression();
    Expression re = c.getRightExpression();
    String op = c.getStringExpression();
    if (Complements.same(le, re) && refs.references(le)) {
      // An expression compared with itself is true for every row where it is not null; a column
      // (which cannot differ from itself) is never unequal to itself, so NOT (x <> x) is every row.
      return switch (op) {
        case "=", ">=", "<=" -> Boolean.TRUE;
        case "<>", "!=", "<", ">" -> le instanceof Column ? Boolean.FALSE : ROW;
        default -> ROW;
      };
    }
    if (SameTable.anyOfSameTable(le, re, op, targetTable, text)) {
      return Boolean.TRUE;
    }
    if (shareTargetColumn(le, re)) {
      return FREE;
    }
    Object l = value(le);
    Object r = value(re);
    if (l == ROW || r == ROW) {
      return ROW;
    }
    if (l == FREE || r == FREE) {
      return unknown(c);
    }
    consulted();
    return Folding.compare(l, r, op);
  }
}
