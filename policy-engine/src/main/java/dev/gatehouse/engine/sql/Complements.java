package dev.gatehouse.engine.sql;

import java.util.Locale;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;

/**
 * Whether two expressions are spelled alike (case and white space aside), for {@link Tautology}: an
 * expression compared with itself, and complementary conditions, are found by their text.
 */
final class Complements {

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
}
