package dev.gatehouse.engine.sql;

import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;

/**
 * Pairs of conditions of which one holds for every row where the other does not ({@code p} and
 * {@code NOT p}, {@code x > 5} and {@code x <= 5}, {@code x IS NULL} and {@code x IS NOT NULL}):
 * their OR selects every row (or every row but those with NULLs, which is as bad).
 */
final class Complements {

  private static final Map<String, String> OPPOSITE =
      Map.of("=", "<>", "<>", "=", "!=", "=", "<", ">=", ">=", "<", ">", "<=", "<=", ">");

  /** The same operator with its operands swapped: {@code a < b} is {@code b > a}. */
  private static final Map<String, String> SWAPPED =
      Map.of("=", "=", "<>", "<>", "!=", "<>", "<", ">", ">", "<", "<=", ">=", ">=", "<=");

  private Complements() {}

  static boolean same(Expression a, Expression b) {
    return a != null && b != null && text(a).equals(text(b));
  }

  static String text(Expression e) {
    Expression x = unwrap(e);
    return x.toString().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  private static Expression unwrap(Expression e) {
    while (e instanceof ExpressionList<?> list
        && list.size() == 1
        && list.get(0) instanceof Expression inner) {
      e = inner;
    }
    return e;
  }

  static boolean of(Expression first, Expression second) {
    Expression a = unwrap(first);
    Expression b = unwrap(second);
    if (a instanceof NotExpression n && same(n.getExpression(), b)) {
      return true;
    }
    if (b instanceof NotExpression n && same(n.getExpression(), a)) {
      return true;
    }
    if (a instanceof IsNullExpression x && b instanceof IsNullExpression y) {
      return x.isNot() != y.isNot() && same(x.getLeftExpression(), y.getLeftExpression());
    }
    if (a instanceof IsBooleanExpression x && b instanceof IsBooleanExpression y) {
      return x.isTrue() == y.isTrue()
          && x.isNot() != y.isNot()
          && same(x.getLeftExpression(), y.getLeftExpression());
    }
    if (a instanceof ComparisonOperator x && b instanceof ComparisonOperator y) {
      String opposite = OPPOSITE.get(x.getStringExpression());
      if (opposite == null) {
        return false;
      }
      String yOp = normal(y.getStringExpression());
      if (same(x.getLeftExpression(), y.getLeftExpression())
          && same(x.getRightExpression(), y.getRightExpression())) {
        return opposite.equals(yOp);
      }
      if (same(x.getLeftExpression(), y.getRightExpression())
          && same(x.getRightExpression(), y.getLeftExpression())) {
        return opposite.equals(SWAPPED.get(yOp));
      }
    }
    return false;
  }

  private static String normal(String op) {
    return "!=".equals(op) ? "<>" : op;
  }
}
