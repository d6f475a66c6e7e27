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

  /**
   * Functions of {@link #NEVER_RAISE} whose result can be many times the size of their input (by a
   * replacement string, by rows, by escaping), and each can meet a size limit: 1 GB for any value,
   * 256 MB for a jsonb string ({@code to_jsonb(replace(repeat('0123', 200), substr(ssn, i, 1),
   * repeat('y', 1342179)))} raised 54000 exactly when the digit was in the set; red-team round 59).
   */
  private static final Set<String> AMPLIFIERS =
      Set.of(
          "replace",
          "regexp_replace",
          "format",
          "string_agg",
          "array_agg",
          "json_agg",
          "jsonb_agg",
          "to_json",
          "to_jsonb",
          "row_to_json");

  /**
   * Functions of {@link #NEVER_RAISE} that put their arguments' values side by side: a value picked
   * by content in one of them (a 16 MB piece of a parameter, or nothing) sums with the others past
   * 1 GB (red-team round 62: {@code length(concat(split_part($1, translate('…', substr(ssn, i, 1),
   * 'Q'), 2), …))} raised 54000 exactly when the character matched). They take plain values only.
   */
  private static final Set<String> COMBINERS = Set.of("concat", "concat_ws");

  /**
   * Functions of {@link #NEVER_RAISE} whose result is one of their arguments, or a piece of one,
   * chosen by another: when their arguments hold a parameter, or more than one column or subquery
   * ({@link #carries}), content can pick between a small value and a large one those carry (rounds
   * 62 and 63).
   */
  private static final Set<String> SELECTORS =
      Set.of(
          "nullif",
          "coalesce",
          "split_part",
          "translate",
          "replace",
          "regexp_replace",
          "substr",
          "substring",
          "left",
          "right");

  /** Aggregates of {@link #NEVER_RAISE} that pick one of their rows' values by comparing them. */
  private static final Set<String> COMPARING_AGGREGATES = Set.of("min", "max", "percentile_disc");

  /**
   * Functions of {@link #NEVER_RAISE} that return an array: {@code ||} of two arrays raises when
   * their dimensions differ, so an array's length is an error oracle once it is concatenated
   * ({@code array_agg(DISTINCT …) || '{{a}}'} raised 2202E for two distinct values and not for one;
   * red-team round 59).
   */
  private static final Set<String> ARRAY_MAKERS = Set.of("array_agg");

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

  /**
   * The outermost parts of {@code e} that are not known never to raise. {@code toClient}: {@code e}
   * is an item of a select list whose values go to the client as they are (the statement's own, or
   * an arm of its set operation). In any other (a subquery, a CTE, a derived table, a LATERAL item,
   * a RETURNING list) the value is computed on where this check does not look, so everything but a
   * plain value (a column, a literal, a parameter, text casts and {@code ||} of these) counts as a
   * computation: a length, a NULL or an array shape computed there could be amplified into a size
   * limit or a dimension error further on (red-team rounds 59 and 60).
   */
  static List<Expression> computations(
      Expression e,
      boolean toClient,
      java.util.function.UnaryOperator<String> literals,
      Runnable literalShaped,
      java.util.function.Predicate<Column> baseColumn) {
    List<Expression> out = new ArrayList<>();
    new ErrorOracle.Walk(toClient, literals, literalShaped, baseColumn).collect(e, out);
    return out;
  }

  /**
   * @param literals the value of a string literal as the parser was given it (a placeholder), or
   *     null when unknown
   * @param literalShaped called when a decision depended on a literal's text (its length), so the
   *     analysis may not be shared with statements of the same shape and other literals
   */
  private record Walk(
      boolean toClient,
      java.util.function.UnaryOperator<String> literals,
      Runnable literalShaped,
      java.util.function.Predicate<Column> baseColumn) {

    private void collect(Expression e, List<Expression> out) {
      if (!toClient && !plain(e) && !(e instanceof ParenthesedSelect)) {
        // A value another expression computes on: only a plain value passes (red-team round 60:
        // any shape, NULL or length computed here could be amplified out of this check's sight)
        out.add(e);
        return;
      }
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
          // || raises on arrays of other dimensions, and past 1 GB: a computed operand can bring
          // either, so the concatenation counts as a whole
          List<Expression> inner = new ArrayList<>();
          collect(c.getLeftExpression(), inner);
          collect(c.getRightExpression(), inner);
          if (!inner.isEmpty()
              || !plain(c.getLeftExpression())
              || !plain(c.getRightExpression())
              || makesArray(c.getLeftExpression())
              || makesArray(c.getRightExpression())) {
            out.add(c);
          }
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
          if (!inner.isEmpty()
              || (AMPLIFIERS.contains(name) && amplifiesUnseen(args))
              || grows(name, args)
              || (COMBINERS.contains(name) && !allPlain(args))
              || (SELECTORS.contains(name) && carries(args))
              || (COMPARING_AGGREGATES.contains(name)
                  && !(onBaseColumn(args) && orderedByBaseColumns(f.getOrderByElements())))
              || (name.equals("coalesce") && !allPlain(args))) {
            // A computed argument can make a result that meets a size limit; so can an amplifying
            // call over anything but a plain value, or with a pattern, replacement or delimiter
            // that is not a literal (red-team rounds 59 and 60). coalesce evaluates an argument
            // only when the ones before it are NULL: over anything but plain values, whether a
            // later one (a subquery that raises: round 60) runs at all depends on the values. A
            // combining call over a value picked by content, a selecting call with a second
            // non-literal argument (a carrier), or an aggregate that picks one of rows a subquery
            // mixed, can put a large value or a small one in the result by content (round 62).
            out.add(f);
          }
        }
        case AnalyticExpression a
            when COMPARING_AGGREGATES.contains(Names.identifier(a.getName()))
                && !(onBaseColumn(java.util.Collections.singletonList(a.getExpression()))
                    && orderedByBaseColumns(a.getFuncOrderBy())
                    && orderedByBaseColumns(a.getOrderByElements())) ->
            out.add(a);
        case AnalyticExpression a
            when NEVER_RAISE.contains(Names.identifier(a.getName()))
                && (AMPLIFIERS.contains(Names.identifier(a.getName()))
                    || ARRAY_MAKERS.contains(Names.identifier(a.getName())))
                && !(a.getExpression() == null
                    || a.getExpression() instanceof Column
                    || a.getExpression() instanceof AllColumns) ->
            // a windowed or filtered aggregate that amplifies: over a plain column only, as the
            // plain call (its delimiter and the like are not looked at here)
            out.add(a);
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

    /**
     * Whether a replacing call can make its value longer: then how much longer depends on how often
     * the pattern occurs in the value, its content (red-team round 61: {@code
     * replace(string_agg(substr(ssn, i, 1), ''), 'c', $1)} over many rows grew past 1 GB, 54000,
     * exactly when the character was c). {@code replace} only with a literal replacement no longer
     * than its literal pattern, {@code regexp_replace} only with an empty literal replacement; both
     * decisions read literals, which {@link #literalShaped} reports.
     */
    private boolean grows(String name, List<?> args) {
      if (!name.equals("replace") && !name.equals("regexp_replace")) {
        return false;
      }
      if (args == null || args.size() < 3) {
        return true;
      }
      literalShaped.run();
      String replacement = literal(args.get(2));
      if (replacement == null) {
        return true;
      }
      if (name.equals("regexp_replace")) {
        return !replacement.isEmpty();
      }
      String pattern = literal(args.get(1));
      // in bytes, as PostgreSQL sizes a value: a character can take 1 to 4 (round 63: a pattern of
      // 200,000 ASCII letters replaced by as many three-byte characters tripled the value)
      return pattern == null
          || replacement.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              > pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * Whether an aggregate that picks one of its rows' values takes a column of a table (or
     * nothing): over a derived relation its rows may mix masked values with the caller's, and which
     * one it picks, a small or a large one, is a comparison with the masked value.
     */
    private boolean onBaseColumn(List<?> args) {
      if (args == null || args.isEmpty()) {
        return true;
      }
      return args.size() == 1
          && (args.getFirst() == null
              || (args.getFirst() instanceof Column c && baseColumn.test(c))
              || constant((Expression) args.getFirst()));
    }

    private boolean orderedByBaseColumns(List<OrderByElement> elements) {
      return elements == null
          || elements.stream()
              .allMatch(o -> o.getExpression() instanceof Column c && baseColumn.test(c));
    }

    /** The value of string literal {@code e}, or null for anything else or when unknown. */
    private String literal(Object e) {
      return e instanceof StringValue v ? literals.apply(v.getValue()) : null;
    }

    private void orderBy(List<OrderByElement> elements, List<Expression> out) {
      if (elements != null) {
        elements.forEach(o -> collect(o.getExpression(), out));
      }
    }
  }

  /**
   * Whether an amplifying call takes anything but a plain value (the first argument), or a pattern,
   * replacement or delimiter that is not a literal or a parameter. A value computed by any
   * function, comparison or selection can have a length, or be NULL, by the content of what it was
   * computed from ({@code translate(…, '5', '')}, {@code nullif(…)}, {@code (… < 'k')::text} is
   * {@code true} or {@code false}), and amplified over many rows one byte of difference meets a
   * size limit (red-team round 60: {@code jsonb_agg(coalesce(nullif((substr(ssn, i, 1) <
   * 'k')::text, 'true'), '<200 KB>'))} over 1,400 rows).
   */
  private static boolean amplifiesUnseen(List<?> args) {
    if (args == null) {
      return false;
    }
    for (int i = 0; i < args.size(); i++) {
      if (!(args.get(i) instanceof Expression x)) {
        return true;
      }
      if (i == 0
          ? !plain(x)
          : !constant(x) && !(x instanceof JdbcParameter) && !(x instanceof NullValue)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Functions whose result's length and NULL depend on their arguments' lengths and NULLs only, not
   * on what the values are: a fixed-length digest, case changes, a reversal, lengths and counts, a
   * cut at constant positions, concatenations and aggregates that concatenate (without DISTINCT,
   * FILTER or a window, whose rows depend on the values). {@code array_agg} is left out: an array's
   * shape raises when it is concatenated.
   */
  private static final Set<String> PLAIN_FUNCTIONS =
      Set.of(
          "md5",
          "upper",
          "lower",
          "initcap",
          "reverse",
          "length",
          "count",
          "substr",
          "left",
          "right",
          "concat",
          "concat_ws",
          "string_agg",
          "json_agg",
          "jsonb_agg",
          "to_json",
          "to_jsonb",
          "row_to_json");

  /**
   * A plain value: a column (or a whole row), a literal, a parameter, cast to text, concatenated,
   * or under {@link #PLAIN_FUNCTIONS} with plain arguments (and constant positions). Its length and
   * its NULL are functions of the stored values' lengths and NULLs: nothing about their content
   * decides them, so no amplification of it makes an oracle of more than the lengths.
   */
  static boolean plain(Expression e) {
    return switch (e) {
      case null -> true;
      // a scalar subquery's select list is not the client's: only plain values pass there
      case ParenthesedSelect s -> true;
      case Column c -> true;
      case AllColumns a -> true;
      case StringValue v -> true;
      case LongValue v -> true;
      case DoubleValue v -> true;
      case HexValue v -> true;
      case NullValue v -> true;
      case JdbcParameter p -> true;
      case JdbcNamedParameter p -> true;
      case SignedExpression s -> constant(s.getExpression());
      case Parenthesis p -> plain(p.getExpression());
      case ExpressionList<?> list ->
          list.size() == 1 && list.getFirst() instanceof Expression x && plain(x);
      case Concat c -> plain(c.getLeftExpression()) && plain(c.getRightExpression());
      case CastExpression c -> textType(c) && plain(c.getLeftExpression());
      case Function f -> plainCall(f);
      default -> false;
    };
  }

  /**
   * Whether a selecting call's arguments could carry a large value besides the one it selects by: a
   * parameter anywhere in them, or more than one column or subquery (round 63: {@code
   * split_part(substr(ssn, i, 1) || $1, '4', 2)} was the whole 1.1 MB parameter or nothing, and a
   * thousand such columns passed a row's 1 GB).
   */
  private static boolean carries(List<?> args) {
    int[] leaves = {0};
    boolean[] parameter = {false};
    if (args != null) {
      for (Object a : args) {
        if (!(a instanceof Expression x)) {
          return true;
        }
        leaves(x, leaves, parameter);
      }
    }
    return parameter[0] || leaves[0] > 1;
  }

  private static void leaves(Expression e, int[] leaves, boolean[] parameter) {
    switch (e) {
      case null -> {}
      case JdbcParameter p -> parameter[0] = true;
      case JdbcNamedParameter p -> parameter[0] = true;
      case Column c -> leaves[0]++;
      case AllColumns a -> leaves[0]++;
      case ParenthesedSelect s -> leaves[0]++;
      case Parenthesis p -> leaves(p.getExpression(), leaves, parameter);
      case ExpressionList<?> list ->
          list.forEach(x -> leaves(x instanceof Expression y ? y : null, leaves, parameter));
      case Concat c -> {
        leaves(c.getLeftExpression(), leaves, parameter);
        leaves(c.getRightExpression(), leaves, parameter);
      }
      case CastExpression c -> leaves(c.getLeftExpression(), leaves, parameter);
      case Function f -> {
        List<?> args = f.getParameters() != null ? f.getParameters() : f.getNamedParameters();
        if (args != null) {
          args.forEach(x -> leaves(x instanceof Expression y ? y : null, leaves, parameter));
        }
      }
      default -> {
        if (!constant(e) && !(e instanceof NullValue)) {
          leaves[0] += 2; // anything else: assume it carries
        }
      }
    }
  }

  private static boolean allPlain(List<?> args) {
    return args == null || args.stream().allMatch(a -> a instanceof Expression x && plain(x));
  }

  private static boolean plainCall(Function f) {
    List<String> name = f.getMultipartName();
    if (name == null
        || !KnownFunctions.transparent(name)
        || f.isDistinct()
        || f.getKeep() != null
        || f.getNamedParameters() != null) {
      return false;
    }
    String n = Names.identifier(name.getLast());
    if (!PLAIN_FUNCTIONS.contains(n)) {
      return false;
    }
    List<?> args = f.getParameters() == null ? List.of() : f.getParameters();
    for (int i = 0; i < args.size(); i++) {
      if (!(args.get(i) instanceof Expression x)) {
        return false;
      }
      boolean position = i > 0 && (n.equals("substr") || n.equals("left") || n.equals("right"));
      if (position ? !constant(x) : !plain(x)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code e} is (in parentheses or not) a call that returns an array. */
  private static boolean makesArray(Expression e) {
    return switch (e) {
      case Parenthesis p -> makesArray(p.getExpression());
      case ExpressionList<?> list
          when list.size() == 1 && list.getFirst() instanceof Expression x ->
          makesArray(x);
      case Function f ->
          f.getMultipartName() != null
              && ARRAY_MAKERS.contains(Names.identifier(f.getMultipartName().getLast()));
      case AnalyticExpression a -> ARRAY_MAKERS.contains(Names.identifier(a.getName()));
      default -> false;
    };
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
}
