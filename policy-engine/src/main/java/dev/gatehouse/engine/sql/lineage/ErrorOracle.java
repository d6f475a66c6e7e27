package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.ArrayExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;

/**
 * Computations in a select list that may raise an error depending on a column's value ({@code
 * 1/(ascii(substr(ssn,1,1))-50)}, {@code ssn::int}): whether the statement fails is a bit of the
 * value, so such a computation over a masked column is a use, like a WHERE. Only a short list of
 * shapes is known never to raise on any input: the column itself, literals and parameters, casts to
 * text, {@code ||}, and a few functions; everything else counts (fail closed).
 */
final class ErrorOracle {

  /** Functions that raise on no input of their argument types; their results stay masked. */
  private static final Set<String> NEVER_RAISE =
      Set.of(
          "count",
          "min",
          "max",
          "coalesce",
          "nullif",
          "upper",
          "lower",
          "initcap",
          "md5",
          "reverse",
          "translate",
          "replace",
          "concat",
          "concat_ws",
          "format",
          "substr",
          "substring",
          "left",
          "right",
          "split_part",
          "regexp_replace",
          "length",
          "encode",
          "string_agg",
          "array_agg",
          "json_agg",
          "jsonb_agg",
          "to_json",
          "to_jsonb",
          "row_to_json",
          "percentile_disc");

  /**
   * For functions of {@link #NEVER_RAISE} whose later arguments are patterns, format strings,
   * flags, encodings or counts (each raises on some values): the argument positions that take any
   * value. An argument elsewhere that is not a literal or a parameter is a computation.
   */
  private static final Map<String, Set<Integer>> SAFE_ARGUMENTS =
      Map.of(
          "regexp_replace", Set.of(0),
          "substring", Set.of(0),
          "substr", Set.of(0),
          "split_part", Set.of(0, 1),
          "encode", Set.of(0),
          "left", Set.of(0),
          "right", Set.of(0),
          // length(bytea, encoding name) raises on an unknown name
          "length", Set.of(0),
          // the fraction (a direct argument) raises outside [0, 1]; the ordered values may be
          // masked
          "percentile_disc", Set.of());

  /** Functions that evaluate an argument only depending on the values of the ones before it. */
  private static final Set<String> LAZY = Set.of("coalesce");

  /**
   * String types a value is cast to without raising: an explicit cast to {@code varchar(n)}, {@code
   * char(n)} or {@code name} cuts an over-long value silently, {@code "char"} keeps its first byte.
   * Modifiers aside.
   */
  private static final Set<String> TEXT_TYPES =
      Set.of(
          "text",
          "varchar",
          "character varying",
          "char",
          "character",
          "bpchar",
          "\"char\"",
          "pg_catalog.text",
          "pg_catalog.varchar",
          "pg_catalog.bpchar");

  /** The clause a use is reported under. */
  static final String CLAUSE =
      "a computation in the select list (whether it raises an error, such as a division by zero or"
          + " an invalid cast, could signal the value)";

  private ErrorOracle() {}

  /** The outermost parts of {@code e} that are not known never to raise. */
  static List<Expression> computations(Expression e) {
    List<Expression> out = new ArrayList<>();
    collect(e, out);
    return out;
  }

  private static void collect(Expression e, List<Expression> out) {
    switch (e) {
      case null -> {}
      case Column c -> {}
      case AllColumns a -> {}
      case StringValue v -> {}
      case LongValue v -> {}
      case DoubleValue v -> {}
      case HexValue v -> {}
      case NullValue v -> {}
      case JdbcParameter p -> {}
      case JdbcNamedParameter p -> {}
      // a scalar subquery's own select list and clauses are analysed where it is resolved
      case ParenthesedSelect s -> {}
      case SignedExpression s when constant(s.getExpression()) -> {}
      case Parenthesis p -> collect(p.getExpression(), out);
      case ExpressionList<?> list
          when list.size() == 1 && list.getFirst() instanceof Expression x ->
          collect(x, out);
      case Concat c -> {
        collect(c.getLeftExpression(), out);
        collect(c.getRightExpression(), out);
      }
      case CastExpression c when textType(c) -> collect(c.getLeftExpression(), out);
      case Function f when neverRaises(f) -> {
        String name = Names.identifier(f.getMultipartName().getLast());
        List<Expression> inner = new ArrayList<>();
        // substring(x FROM pattern), overlay(... PLACING ...): the keyword form has named
        // parameters
        List<?> args = f.getParameters() != null ? f.getParameters() : f.getNamedParameters();
        if (args != null) {
          int i = 0;
          for (Object arg : args) {
            if (!(arg instanceof Expression x)) {
              out.add(f);
              return;
            }
            if (safeArgument(name, i++, args) || constant(x) || x instanceof JdbcParameter) {
              collect(x, inner);
            } else {
              // a pattern, format string, flags or count from a value: raises or not by the value
              inner.add(x);
            }
          }
        }
        orderBy(f.getOrderByElements(), inner);
        if (LAZY.contains(name) && !inner.isEmpty()) {
          // whether a later argument is evaluated (and raises) depends on the earlier ones
          out.add(f);
        } else {
          out.addAll(inner);
        }
      }
      case AnalyticExpression a when NEVER_RAISE.contains(Names.identifier(a.getName())) -> {
        Expression arg = a.getExpression();
        if (Names.identifier(a.getName()).equals("percentile_disc")
            && arg != null
            && !constant(arg)
            && !(arg instanceof JdbcParameter)) {
          out.add(arg); // the fraction raises outside [0, 1]
        } else {
          collect(arg, out);
        }
        orderBy(a.getFuncOrderBy(), out);
      }
      case ArrayExpression a when constant(a.getIndexExpression()) ->
          collect(a.getObjExpression(), out);
      // comparing two values of one type raises nothing (an operand that may is looked at)
      case ComparisonOperator c -> {
        collect(c.getLeftExpression(), out);
        collect(c.getRightExpression(), out);
      }
      case IsNullExpression n -> collect(n.getLeftExpression(), out);
      default -> out.add(e);
    }
  }

  private static boolean constant(Expression e) {
    return e instanceof LongValue || e instanceof DoubleValue || e instanceof StringValue;
  }

  private static boolean textType(CastExpression c) {
    var type = c.getColDataType();
    return type != null
        && type.getArrayData().isEmpty()
        && TEXT_TYPES.contains(withoutModifiers(type.getDataType()));
  }

  private static String withoutModifiers(String type) {
    String t = type.toLowerCase(java.util.Locale.ROOT);
    int paren = t.indexOf('(');
    return (paren < 0 ? t : t.substring(0, paren)).strip().replaceAll("\\s+", " ");
  }

  private static boolean safeArgument(String function, int position, List<?> args) {
    if (function.equals("format")) {
      // the format string picks arguments and raises on a bad one, and %I raises on a NULL
      // argument; analysis sees literals without their text, so no argument takes any value
      return false;
    }
    Set<Integer> safe = SAFE_ARGUMENTS.get(function);
    return safe == null || safe.contains(position);
  }

  private static boolean neverRaises(Function f) {
    List<String> name = f.getMultipartName();
    return name != null
        && KnownFunctions.transparent(name)
        && NEVER_RAISE.contains(Names.identifier(name.getLast()))
        && f.getKeep() == null;
  }

  private static void orderBy(List<OrderByElement> elements, List<Expression> out) {
    if (elements != null) {
      elements.forEach(o -> collect(o.getExpression(), out));
    }
  }
}
