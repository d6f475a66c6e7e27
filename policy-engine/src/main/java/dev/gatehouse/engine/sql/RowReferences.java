package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.model.Names;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Whether an expression can tell one row of a write's target from another: it does when it names a
 * column of the target. Failing closed means counting fewer columns as the target's: inside a
 * subquery with its own FROM an unqualified column belongs to that FROM, and a column qualified
 * with any other name belongs to another relation.
 */
final class RowReferences {

  /** Unqualified words JSqlParser reads as columns although they are SQL value functions. */
  private static final Set<String> VALUE_WORDS =
      Set.of(
          "current_user",
          "current_role",
          "session_user",
          "user",
          "current_date",
          "current_time",
          "current_timestamp",
          "localtime",
          "localtimestamp",
          "current_catalog",
          "current_schema",
          "system_user",
          "true",
          "false",
          "null");

  private static final int MAX_DEPTH = 200;

  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (!c.getName().startsWith("net.sf.jsqlparser.")) {
              continue;
            }
            for (Field f : c.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                f.setAccessible(true);
                fields.add(f);
              }
            }
          }
          return List.copyOf(fields);
        }
      };

  private final Set<String> targetNames;
  private final boolean unqualifiedAreTarget;

  /**
   * @param targetNames lower-case names that qualify the target's columns (alias, or its name)
   */
  RowReferences(Set<String> targetNames) {
    this(targetNames, true);
  }

  /**
   * @param unqualifiedAreTarget false when the statement reads other relations beside the target
   *     (UPDATE … FROM, DELETE … USING, MERGE … USING): an unqualified column may be theirs, and
   *     which it is needs the catalog, so it is not counted as the target's (fail closed: a
   *     condition on it alone may hold for every row of the target). Red-team round 25: `UPDATE
   *     app.payments SET … FROM (VALUES (1)) v(k) WHERE k = 1` changed every row unflagged.
   */
  RowReferences(Set<String> targetNames, boolean unqualifiedAreTarget) {
    this.targetNames = targetNames;
    this.unqualifiedAreTarget = unqualifiedAreTarget;
  }

  /** The names a target's columns are qualified by: its alias if it has one, else its name. */
  static Set<String> namesOf(Table target) {
    if (target == null) {
      return Set.of();
    }
    if (target.getAlias() != null && target.getAlias().getName() != null) {
      return Set.of(Names.identifier(target.getAlias().getName()));
    }
    return target.getName() == null ? Set.of() : Set.of(Names.identifier(target.getName()));
  }

  /**
   * The target's columns {@code node} names, as {@link #references} finds them, each by its name as
   * PostgreSQL resolves it (quotes and Unicode escapes undone) and in lower case, so {@code "id"},
   * {@code U&"\0069d"} and {@code ID} are one column (lower case on purpose: a quoted {@code "ID"}
   * counts as {@code id} too, which can only find more in common).
   */
  Set<String> targetColumns(Object node) {
    Set<String> out = new java.util.HashSet<>();
    collect(node, false, 0, out);
    return out;
  }

  private void collect(Object node, boolean inSubquery, int depth, Set<String> out) {
    if (node == null || depth > MAX_DEPTH) {
      return;
    }
    if (node instanceof Collection<?> items) {
      for (Object item : items) {
        collect(item, inSubquery, depth + 1, out);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      collect(map.values(), inSubquery, depth + 1, out);
      return;
    }
    Class<?> type = node.getClass();
    if (!walkable(type) || node instanceof Table) {
      return;
    }
    if (node instanceof Column c) {
      if (isTarget(c, inSubquery) && c.getColumnName() != null) {
        out.add(Names.identifier(c.getColumnName()).toLowerCase(Locale.ROOT));
      }
      return;
    }
    boolean inner = inSubquery || (node instanceof PlainSelect p && p.getFromItem() != null);
    for (Field f : FIELDS.get(type)) {
      try {
        collect(f.get(node), inner, depth + 1, out);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + f, e);
      }
    }
  }

  /** True when {@code node} names a column of the target (too deep to tell: false). */
  boolean references(Object node) {
    return walk(node, false, 0);
  }

  private boolean walk(Object node, boolean inSubquery, int depth) {
    if (node == null || depth > MAX_DEPTH) {
      return false;
    }
    if (node instanceof Collection<?> items) {
      for (Object item : items) {
        if (walk(item, inSubquery, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    if (node instanceof Map<?, ?> map) {
      return walk(map.values(), inSubquery, depth + 1);
    }
    Class<?> type = node.getClass();
    if (!walkable(type)) {
      return false;
    }
    if (node instanceof Column c) {
      return isTarget(c, inSubquery);
    }
    if (node instanceof Table) {
      return false;
    }
    boolean inner = inSubquery || (node instanceof PlainSelect p && p.getFromItem() != null);
    for (Field f : FIELDS.get(type)) {
      try {
        if (walk(f.get(node), inner, depth + 1)) {
          return true;
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + f, e);
      }
    }
    return false;
  }

  /**
   * True when {@code node} names a column that may be the target's, counting more rather than
   * fewer: a column qualified with the target's name, or an unqualified one wherever it stands (in
   * a subquery over no stored relation, an unqualified column can only be the outer row's or an
   * alias of that subquery's own expressions). For a subquery that {@link Tautology} cannot see
   * through, counting more is failing closed.
   */
  boolean mayName(Object node) {
    List<Column> columns = new ArrayList<>();
    find(node, Column.class, columns, 0);
    for (Column c : columns) {
      Table t = c.getTable();
      if (t == null || t.getName() == null) {
        String name = c.getColumnName() == null ? "" : c.getColumnName().toLowerCase(Locale.ROOT);
        if (!VALUE_WORDS.contains(name)) {
          return true;
        }
      } else if (targetNames.contains(Names.identifier(t.getName()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds each node of {@code type} in {@code node} to {@code out}, without looking inside them (too
   * deep to walk: what was found so far).
   */
  static <T> void find(Object node, Class<T> type, List<T> out, int depth) {
    if (node == null || depth > MAX_DEPTH) {
      return;
    }
    if (node instanceof Collection<?> items) {
      for (Object item : items) {
        find(item, type, out, depth + 1);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      find(map.values(), type, out, depth + 1);
      return;
    }
    if (type.isInstance(node)) {
      out.add(type.cast(node));
      return;
    }
    if (!walkable(node.getClass())
        || node instanceof Table
        // a column's or `t.*`'s qualifier names a relation without reading it
        || node instanceof Column
        || node instanceof net.sf.jsqlparser.statement.select.AllTableColumns) {
      return;
    }
    for (Field f : FIELDS.get(node.getClass())) {
      try {
        find(f.get(node), type, out, depth + 1);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + f, e);
      }
    }
  }

  /** JSqlParser's tree nodes; not its parser's own nodes, which point back up the tree. */
  private static boolean walkable(Class<?> type) {
    String name = type.getName();
    return !type.isEnum()
        && name.startsWith("net.sf.jsqlparser.")
        && !name.startsWith("net.sf.jsqlparser.parser.");
  }

  private boolean isTarget(Column c, boolean inSubquery) {
    Table t = c.getTable();
    if (t == null || t.getName() == null) {
      String name = c.getColumnName() == null ? "" : c.getColumnName().toLowerCase(Locale.ROOT);
      return unqualifiedAreTarget && !inSubquery && !VALUE_WORDS.contains(name);
    }
    return targetNames.contains(Names.identifier(t.getName()));
  }

  /** True when a relation named {@code name} (without schema) appears anywhere in {@code node}. */
  static boolean mentionsTable(Object node, String name, int depth) {
    if (node == null || depth > MAX_DEPTH || name == null) {
      return false;
    }
    if (node instanceof Collection<?> items) {
      for (Object item : items) {
        if (mentionsTable(item, name, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    Class<?> type = node.getClass();
    if (!walkable(type)) {
      return false;
    }
    if (node instanceof Table t) {
      return t.getName() != null && Names.identifier(t.getName()).equals(name);
    }
    if (node instanceof Column) {
      return false;
    }
    for (Field f : FIELDS.get(type)) {
      try {
        if (mentionsTable(f.get(node), name, depth + 1)) {
          return true;
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + f, e);
      }
    }
    return false;
  }
}
