package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.WordList;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Set-returning function calls in a select list: the number of rows they produce is a value of
 * their arguments ({@code generate_series(1, ascii(ssn))}, {@code regexp_matches(ssn, '2', 'g')}),
 * so their arguments are a use like a WHERE. A function that is not a known built-in may return a
 * set and counts as one.
 */
final class SetReturning {

  static final String CLAUSE = "set-returning function in the select list";

  private static final Set<String> BUILTIN = load();

  private SetReturning() {}

  /** The calls beneath {@code expression} (not inside subqueries) that may return sets. */
  static List<Function> calls(Object expression) {
    List<Function> out = new ArrayList<>();
    collect(expression, out, new HashSet<>());
    return out;
  }

  private static void collect(Object node, List<Function> out, Set<Integer> seen) {
    if (node == null || node instanceof String || node instanceof Number || node instanceof Enum) {
      return;
    }
    if (node instanceof Collection<?> items) {
      items.forEach(i -> collect(i, out, seen));
      return;
    }
    if (!ExpressionLineage.isSyntaxNode(node.getClass())
        || node instanceof Select
        || !seen.add(System.identityHashCode(node))) {
      return;
    }
    if (node instanceof Function f && mayReturnSet(f.getMultipartName())) {
      out.add(f);
    }
    for (Field f : ExpressionLineage.fields(node.getClass())) {
      try {
        collect(f.get(node), out, seen);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read syntax tree field " + f, e);
      }
    }
  }

  static boolean mayReturnSet(List<String> nameParts) {
    if (nameParts == null || nameParts.isEmpty() || !KnownFunctions.transparent(nameParts)) {
      return true;
    }
    return BUILTIN.contains(Names.identifier(nameParts.getLast()));
  }

  private static Set<String> load() {
    return WordList.load(SetReturning.class, "set-returning-functions.txt");
  }
}
