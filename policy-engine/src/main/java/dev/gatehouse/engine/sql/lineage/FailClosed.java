package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;

/**
 * The lineage of what the resolver does not model: it derives from every column referenced beneath
 * it and from the whole rows of every table it names, and is opaque. Only the constructs {@link
 * SelectLineage} and {@link ExpressionLineage} model explicitly are precise; anything else (ROWS
 * FROM, XMLTABLE, a FROM item of a later release) falls back to this.
 */
final class FailClosed {

  /** The name of the one output column that stands for every column of an untraceable result. */
  static final String UNKNOWN = "?column?";

  private FailClosed() {}

  /** {@code node} (a FROM item) evaluated in {@code scope}: all its columns, all its tables. */
  static Lineage everything(Object node, Scope scope, SelectLineage selects) {
    Lineage l = ExpressionLineage.of(node, scope, selects).markOpaque();
    for (Table t : tables(node)) {
      l.add(wholeRow(t, scope));
    }
    return l;
  }

  /** A statement whose lineage could not be computed: one column deriving from all it names. */
  static List<OutputColumn> statement(Statement statement, AnalysisContext context) {
    Scope root = Scope.root(context);
    Lineage l = new Lineage().markOpaque();
    for (Table t : tables(statement)) {
      l.add(wholeRow(t, root));
    }
    return List.of(l.named(UNKNOWN));
  }

  private static Lineage wholeRow(Table t, Scope scope) {
    if (t.getName() == null) {
      return new Lineage();
    }
    if (t.getSchemaName() == null && scope.cte(Names.identifier(t.getName())) != null) {
      return scope.cte(Names.identifier(t.getName())).wholeRow();
    }
    return new Lineage()
        .add(
            new ColumnRef(
                Names.table(t.getSchemaName(), t.getName(), scope.context()),
                LineageResolver.ALL_COLUMNS));
  }

  /** Every table node beneath {@code root} (column qualifiers excluded). */
  static List<Table> tables(Object root) {
    List<Table> out = new ArrayList<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(root, out, seen, false);
    return out;
  }

  private static void collect(Object node, List<Table> out, Set<Object> seen, boolean qualifier) {
    if (node == null || node instanceof String || node instanceof Number || node instanceof Enum) {
      return;
    }
    if (node instanceof Collection<?> items) {
      items.forEach(i -> collect(i, out, seen, false));
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, out, seen, false));
      return;
    }
    if (!ExpressionLineage.isSyntaxNode(node.getClass()) || !seen.add(node)) {
      return;
    }
    if (node instanceof Table t && !qualifier) {
      out.add(t);
    }
    boolean column = node instanceof net.sf.jsqlparser.schema.Column;
    for (Field f : ExpressionLineage.fields(node.getClass())) {
      try {
        collect(f.get(node), out, seen, column);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read syntax tree field " + f, e);
      }
    }
  }
}
