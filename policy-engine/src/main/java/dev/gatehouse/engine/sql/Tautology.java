package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.ParserText;
import java.math.BigDecimal;
import java.util.Locale;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;

/**
 * Decides whether a WHERE clause is true for every row: constant comparisons ({@code 1 = 1}, {@code
 * 'a' = 'a'}), boolean constants and their combinations ({@code false OR true}), a column compared
 * with itself, and {@code x IS NULL OR x IS NOT NULL}. Anything else is not a tautology.
 */
final class Tautology {

  /** A value of a constant expression; {@code UNKNOWN} when it depends on a row. */
  private static final Object UNKNOWN = new Object();

  private static final Object NULL = new Object();

  private final ParserText text;
  private boolean literalConsulted;

  Tautology(ParserText text) {
    this.text = text;
  }

  /** True when {@code where} holds for every row. */
  boolean isTautology(Expression where) {
    return value(where) == Boolean.TRUE;
  }

  /** True when a literal's value decided the outcome of a comparison. */
  boolean literalConsulted() {
    return literalConsulted;
  }

  private Object value(Expression e) {
    if (e == null) {
      return UNKNOWN;
    }
    return switch (e) {
      case BooleanValue b -> b.getValue();
      case LongValue l -> new BigDecimal(l.getStringValue());
      case DoubleValue d -> BigDecimal.valueOf(d.getValue());
      case StringValue s -> literal(s);
      case NullValue n -> NULL;
      case SignedExpression s -> negate(s.getSign(), value(s.getExpression()));
      case CastExpression c -> cast(c);
      case NotExpression n -> not(value(n.getExpression()));
      case AndExpression a -> and(value(a.getLeftExpression()), value(a.getRightExpression()));
      case OrExpression o -> or(o);
      case XorExpression x -> UNKNOWN;
      case IsNullExpression n -> isNull(n);
      case IsBooleanExpression b -> isBoolean(b);
      case InExpression in -> in(in);
      case ComparisonOperator c -> compare(c);
      case ExpressionList<?> list when list.size() == 1 -> value(list.get(0));
      default -> UNKNOWN;
    };
  }

  private Object literal(StringValue s) {
    String value = text.literal(s.getValue());
    return value == null ? UNKNOWN : value;
  }

  private static Object negate(char sign, Object v) {
    if (v instanceof BigDecimal d) {
      return sign == '-' ? d.negate() : d;
    }
    return UNKNOWN;
  }

  private Object cast(CastExpression c) {
    Object inner = value(c.getLeftExpression());
    String type = c.getColDataType() == null ? "" : c.getColDataType().getDataType();
    if (inner instanceof String s && type.toLowerCase(Locale.ROOT).startsWith("bool")) {
      literalConsulted = true;
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "t", "true", "y", "yes", "on", "1" -> Boolean.TRUE;
        case "f", "false", "n", "no", "off", "0" -> Boolean.FALSE;
        default -> UNKNOWN;
      };
    }
    return inner;
  }

  private static Object not(Object v) {
    return v instanceof Boolean b ? !b : v == NULL ? NULL : UNKNOWN;
  }

  private static Object and(Object l, Object r) {
    if (l == Boolean.FALSE || r == Boolean.FALSE) {
      return Boolean.FALSE;
    }
    return l == Boolean.TRUE && r == Boolean.TRUE ? Boolean.TRUE : UNKNOWN;
  }

  private Object or(OrExpression o) {
    Object l = value(o.getLeftExpression());
    Object r = value(o.getRightExpression());
    if (l == Boolean.TRUE || r == Boolean.TRUE) {
      return Boolean.TRUE;
    }
    if (o.getLeftExpression() instanceof IsNullExpression a
        && o.getRightExpression() instanceof IsNullExpression b
        && a.isNot() != b.isNot()
        && sameColumn(a.getLeftExpression(), b.getLeftExpression())) {
      return Boolean.TRUE;
    }
    return l == Boolean.FALSE && r == Boolean.FALSE ? Boolean.FALSE : UNKNOWN;
  }

  private Object isNull(IsNullExpression n) {
    Object v = value(n.getLeftExpression());
    if (v == UNKNOWN) {
      return UNKNOWN;
    }
    literalConsulted = true;
    return (v == NULL) != n.isNot();
  }

  private Object isBoolean(IsBooleanExpression b) {
    Object v = value(b.getLeftExpression());
    if (!(v instanceof Boolean bool)) {
      return UNKNOWN;
    }
    return (bool == b.isTrue()) != b.isNot();
  }

  private Object in(InExpression in) {
    Object left = value(in.getLeftExpression());
    if (left == UNKNOWN
        || left == NULL
        || !(in.getRightExpression() instanceof ExpressionList<?> list)) {
      return UNKNOWN;
    }
    for (Object item : list) {
      if (item instanceof Expression e && equal(left, value(e))) {
        literalConsulted = true;
        return !in.isNot();
      }
    }
    return UNKNOWN;
  }

  private Object compare(ComparisonOperator c) {
    Expression le = c.getLeftExpression();
    Expression re = c.getRightExpression();
    String op = c.getStringExpression();
    if (sameColumn(le, re)) {
      // A column compared with itself is true for every row where it is not null.
      return switch (op) {
        case "=", ">=", "<=" -> Boolean.TRUE;
        default -> UNKNOWN;
      };
    }
    Object l = value(le);
    Object r = value(re);
    if (l == UNKNOWN || r == UNKNOWN) {
      return UNKNOWN;
    }
    literalConsulted = true;
    if (l == NULL || r == NULL) {
      return NULL;
    }
    int cmp;
    if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
      cmp = a.compareTo(b);
    } else if (l instanceof String a && r instanceof String b) {
      cmp = a.compareTo(b);
    } else if (l instanceof Boolean a && r instanceof Boolean b) {
      cmp = Boolean.compare(a, b);
    } else {
      return UNKNOWN;
    }
    return switch (op) {
      case "=" -> cmp == 0;
      case "<>", "!=" -> cmp != 0;
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      default -> UNKNOWN;
    };
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    return a != UNKNOWN && a != NULL && a.equals(b);
  }

  private static boolean sameColumn(Expression a, Expression b) {
    return a instanceof Column x
        && b instanceof Column y
        && x.getFullyQualifiedName().equalsIgnoreCase(y.getFullyQualifiedName());
  }
}
