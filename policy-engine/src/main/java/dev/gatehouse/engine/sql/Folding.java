package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.Tautology.FREE;
import static dev.gatehouse.engine.sql.Tautology.NULL;
import static dev.gatehouse.engine.sql.Tautology.ROW;

import dev.gatehouse.engine.sql.model.Names;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.WhenClause;

/** Constant folding for {@link Tautology}: casts, signs, CASE, and a few built-in functions. */
final class Folding {

  private final Tautology t;

  Folding(Tautology t) {
    this.t = t;
  }

  Object negate(SignedExpression s) {
    Object v = t.value(s.getExpression());
    if (v instanceof BigDecimal d) {
      return switch (s.getSign()) {
        case '-' -> d.negate();
        case '+' -> d;
        // bitwise NOT of an integer: ~9223372036854775807 is the bigint minimum (red-team 28)
        case '~' ->
            d.stripTrailingZeros().scale() <= 0 ? d.negate().subtract(BigDecimal.ONE) : FREE;
        default -> FREE;
      };
    }
    return v == ROW || v == FREE || v == NULL ? v : t.unknown(s);
  }

  Object cast(CastExpression c) {
    Object inner = t.value(c.getLeftExpression());
    String type = c.getColDataType() == null ? "" : c.getColDataType().getDataType();
    type = type == null ? "" : type.toLowerCase(Locale.ROOT).replace("\"", "");
    if (type.startsWith("pg_catalog.")) {
      type = type.substring("pg_catalog.".length());
    }
    if (inner == ROW || inner == FREE || inner == NULL) {
      return inner;
    }
    t.consulted();
    if (type.startsWith("bool")) {
      return switch (inner) {
        case Boolean b -> b;
        case BigDecimal d -> d.signum() != 0;
        case String s -> bool(s);
        default -> FREE;
      };
    }
    // a length, precision or scale, given as arguments or within the type's name
    boolean sized =
        type.contains("(")
            || (c.getColDataType() != null
                && c.getColDataType().getArgumentsStringList() != null
                && !c.getColDataType().getArgumentsStringList().isEmpty());
    if (type.equals("text")
        || ((type.equals("varchar") || type.equals("character varying")) && !sized)) {
      return switch (inner) {
        case Boolean b -> b.toString();
        case BigDecimal d -> d.toPlainString();
        default -> inner;
      };
    }
    if (type.startsWith("varchar")
        || type.startsWith("char")
        || type.startsWith("bpchar")
        || type.startsWith("character")
        || type.equals("name")) {
      // A length cuts the value, and char(n) compares without its trailing spaces: `'a '::char(3)
      // = 'a'` is true (red-team round 42). Its value is not computed here.
      return FREE;
    }
    if (type.startsWith("float")
        || type.equals("real")
        || type.startsWith("double")
        || ((type.startsWith("numeric") || type.startsWith("decimal")) && sized)) {
      // Binary floating point, and a numeric with a scale, round: `0.1::float4 =
      // 0.10000000149011612::float8` and `123.456::numeric(5,1) = 123.5` are true (round 43).
      return FREE;
    }
    if (inner instanceof String s && isNumericType(type)) {
      try {
        inner = new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        return FREE;
      }
    }
    if (inner instanceof Boolean b && (type.equals("int") || type.equals("integer"))) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (inner instanceof BigDecimal d && isNumericType(type)) {
      if (!INTEGER_TYPES.contains(type)) {
        return d;
      }
      // An integer type rounds a fraction (`2.5::int = 3`), and drops the scale of a whole one
      // (`1.0::int::text` is '1': round 44).
      BigDecimal whole = d.stripTrailingZeros();
      return whole.scale() > 0 ? FREE : whole.setScale(0);
    }
    return FREE;
  }

  /** A cast to boolean: every value of the column becomes one of two. */
  static boolean boolType(CastExpression c) {
    String type = c.getColDataType() == null ? null : c.getColDataType().getDataType();
    type = type == null ? "" : type.toLowerCase(Locale.ROOT).replace("\"", "");
    return type.equals("bool") || type.equals("boolean") || type.equals("pg_catalog.bool");
  }

  /** A numeric literal as written, exact; FREE when it is not one Java reads the same way. */
  Object decimal(String text) {
    try {
      return new BigDecimal(text.replace("_", ""));
    } catch (NumberFormatException e) {
      return FREE;
    }
  }

  private static boolean isNumericType(String type) {
    return INTEGER_TYPES.contains(type)
        || type.startsWith("numeric")
        || type.startsWith("decimal")
        || type.startsWith("float")
        || type.equals("real")
        || type.startsWith("double");
  }

  /** By name, not by prefix: {@code interval} starts with "int" (red-team round 44). */
  private static final java.util.Set<String> INTEGER_TYPES =
      java.util.Set.of("int", "int2", "int4", "int8", "integer", "smallint", "bigint");

  /** A boolean as PostgreSQL's boolin reads it: any unique prefix of true/false/yes/no, on/off. */
  static Object bool(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.isEmpty()) {
      return FREE;
    }
    if ("true".startsWith(v) || "yes".startsWith(v) || v.equals("on") || v.equals("1")) {
      return Boolean.TRUE;
    }
    if ("false".startsWith(v) || "no".startsWith(v) || v.equals("off") || v.equals("0")) {
      return Boolean.FALSE;
    }
    return FREE; // an error or an ambiguous prefix: never trusted as false
  }

  Object caseOf(CaseExpression c) {
    List<Object> results = new ArrayList<>();
    boolean decided = false;
    Object chosen = null;
    Object subject = c.getSwitchExpression() == null ? null : t.value(c.getSwitchExpression());
    for (WhenClause w : c.getWhenClauses()) {
      Object cond = t.value(w.getWhenExpression());
      if (subject != null) {
        cond =
            subject == ROW || cond == ROW
                ? ROW
                : subject == FREE || cond == FREE ? FREE : equal(subject, cond);
      }
      Object then = t.value(w.getThenExpression());
      results.add(then);
      if (!decided && cond == Boolean.TRUE) {
        decided = true;
        chosen = then;
      } else if (!decided && !(cond == Boolean.FALSE || cond == NULL)) {
        decided = true; // not constant: the outcome is any of the remaining results
        chosen = null;
      }
    }
    Object otherwise = c.getElseExpression() == null ? NULL : t.value(c.getElseExpression());
    results.add(otherwise);
    if (mixed(results)) {
      return t.unknown(c); // CASE ... THEN '01' ELSE 2 END is 1: the results' common type
    }
    if (chosen != null) {
      t.consulted();
      return chosen;
    }
    if (!decided) {
      t.consulted();
      return otherwise;
    }
    if (results.stream().allMatch(r -> r == Boolean.TRUE)) {
      return Boolean.TRUE;
    }
    return t.unknown(c);
  }

  Object function(Function f) {
    String name = f.getName() == null ? "" : Names.identifier(f.getName());
    if (name.startsWith("pg_catalog.")) {
      name = name.substring("pg_catalog.".length());
    }
    List<Object> args = new ArrayList<>();
    if (f.getParameters() != null) {
      for (Object p : f.getParameters()) {
        args.add(p instanceof Expression e ? t.value(e) : ROW);
      }
    }
    return switch (name) {
      case "coalesce" -> coalesce(f, args);
      case "nullif" -> nullif(f, args);
      case "greatest", "least" -> extreme(f, args, name.equals("greatest"));
      default -> t.unknown(f);
    };
  }

  private Object coalesce(Function f, List<Object> args) {
    if (mixed(args)) {
      return t.unknown(f); // coalesce('01', 2) is 1: the common type is the number's
    }
    for (Object a : args) {
      if (a == NULL) {
        continue;
      }
      if (a == ROW || a == FREE) {
        return t.unknown(f);
      }
      t.consulted();
      return a;
    }
    return NULL;
  }

  private Object nullif(Function f, List<Object> args) {
    if (args.size() != 2 || args.contains(ROW) || args.contains(FREE)) {
      return t.unknown(f);
    }
    Object same = equal(args.get(0), args.get(1));
    if (same == FREE) {
      return t.unknown(f);
    }
    t.consulted();
    return same == Boolean.TRUE ? NULL : args.get(0);
  }

  private Object extreme(Function f, List<Object> args, boolean greatest) {
    Object best = NULL;
    for (Object a : args) {
      if (a == ROW || a == FREE) {
        return t.unknown(f);
      }
      if (a == NULL) {
        continue;
      }
      if (best == NULL) {
        best = a;
        continue;
      }
      Object cmp = compare(a, best, greatest ? ">" : "<");
      if (!(cmp instanceof Boolean)) {
        return t.unknown(f);
      }
      if ((Boolean) cmp) {
        best = a;
      }
    }
    t.consulted();
    return best;
  }

  /**
   * Whether two constants are equal: TRUE, FALSE, or FREE when their kinds differ. An untyped
   * string takes the type of the other side (`nullif('01', 1)` is NULL, `1 IS NOT DISTINCT FROM
   * '01'` true: red-team round 44), which is not computed here.
   */
  static Object equal(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof Boolean x && b instanceof String y) {
      Object v = bool(y);
      return v == FREE ? FREE : x.equals(v);
    }
    if (a instanceof String x && b instanceof Boolean y) {
      Object v = bool(x);
      return v == FREE ? FREE : y.equals(v);
    }
    if (a == ROW || a == FREE || a == NULL || b == ROW || b == FREE || b == NULL) {
      return a != ROW && a != FREE && a != NULL && a.equals(b);
    }
    return a.getClass() == b.getClass() ? a.equals(b) : FREE;
  }

  /** True when the non-NULL constants are not all of one kind (their common type is not known). */
  private static boolean mixed(List<Object> values) {
    Class<?> kind = null;
    for (Object v : values) {
      if (v instanceof BigDecimal || v instanceof String || v instanceof Boolean) {
        if (kind != null && kind != v.getClass()) {
          return true;
        }
        kind = v.getClass();
      }
    }
    return false;
  }

  /** A comparison of two constants; NULL when either is NULL, FREE when not comparable here. */
  static Object compare(Object l, Object r, String op) {
    if (l == NULL || r == NULL) {
      return NULL;
    }
    if (l instanceof Boolean && r instanceof String s) {
      r = bool(s);
    } else if (l instanceof String s && r instanceof Boolean) {
      l = bool(s);
    }
    int cmp;
    if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
      cmp = a.compareTo(b);
    } else if (l instanceof String a && r instanceof String b) {
      if (!a.equals(b) && !op.equals("=") && !op.equals("<>") && !op.equals("!=")) {
        // The order of two strings is the collation's, not Java's UTF-16 order ('😀' > '｡' in
        // C order, not in Java's: red-team round 43); only equality is known here.
        return FREE;
      }
      cmp = a.equals(b) ? 0 : 1;
    } else if (l instanceof Boolean a && r instanceof Boolean b) {
      cmp = Boolean.compare(a, b);
    } else {
      return FREE;
    }
    return switch (op) {
      case "=" -> cmp == 0;
      case "<>", "!=" -> cmp != 0;
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      default -> FREE;
    };
  }
}
