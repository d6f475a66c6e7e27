package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.ParserText;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.BuiltinCatalog;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.TableRef;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ParenthesedStatement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.ForMode;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Walks every node of a parsed statement, whatever its position, and records the relations read and
 * written, every function called, and risky shapes (writes in CTEs, SELECT INTO, locking reads,
 * UPDATE or DELETE without a real WHERE).
 *
 * <p>It walks JSqlParser's objects by reflection rather than through the visitor interfaces so that
 * a node kind nobody thought of (a function in a window frame, a table function in ROWS FROM) is
 * still seen: a visitor skips what it does not know, this walk does not.
 */
final class AstWalker {

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

  private final AnalysisContext context;
  private final ParserText text;
  private final StatementFacts facts;
  private final boolean ddl;
  private final Set<Object> targets = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  /** The statement's WITH items by name, for the every-row check's subqueries. */
  private Map<String, List<Object>> ctes = Map.of();

  AstWalker(AnalysisContext context, ParserText text, StatementFacts facts, boolean ddl) {
    this.context = context;
    this.text = text;
    this.facts = facts;
    this.ddl = ddl;
  }

  /** Walks {@code root}; {@code targets} are the tables it writes (DDL and DML targets). */
  void walk(Object root, Collection<Table> rootTargets) {
    targets.addAll(rootTargets);
    List<WithItem> items = new ArrayList<>();
    RowReferences.find(root, WithItem.class, items, 0);
    for (int i = 0; i < items.size() && i < 1000; i++) { // and the WITH items inside them
      RowReferences.find(items.get(i).getStatement(), WithItem.class, items, 0);
    }
    Map<String, List<Object>> byName = new HashMap<>();
    for (WithItem<?> item : items) {
      if (item.getAliasName() != null) {
        byName
            .computeIfAbsent(Names.identifier(item.getAliasName()), k -> new ArrayList<>())
            .add(item.getStatement());
      }
    }
    ctes = Map.copyOf(byName);
    visit(root, Set.of(), false, 0);
  }

  private void visit(Object node, Set<String> ctes, boolean inQuery, int depth) {
    if (node == null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      for (Object item : items) {
        visit(item, ctes, inQuery, depth);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      visit(map.values(), ctes, inQuery, depth);
      return;
    }
    Class<?> type = node.getClass();
    if (type.isEnum()
        || !type.getName().startsWith("net.sf.jsqlparser.")
        || type.getName().startsWith("net.sf.jsqlparser.parser.")
        || !seen.add(node)) {
      return;
    }
    switch (node) {
      case Table t -> {
        table(t, ctes, inQuery);
        return;
      }
      case Function f -> function(f);
      case AnalyticExpression a -> facts.functions.add(Names.function(List.of(a.getName())));
      // (DELETE ...) in a CTE wraps the real statement in a subclass with no table of its own.
      case ParenthesedStatement p -> {}
      case Delete d -> {
        write(
            d.getTable(),
            d.getWhere(),
            depth,
            true,
            alone(d.getUsingList(), d.getUsingFromItemList(), d.getJoins()));
        selfJoin(d.getTable(), d.getUsingList(), d.getUsingFromItemList(), d.getJoins());
      }
      case Update u -> {
        write(
            u.getTable(),
            u.getWhere(),
            depth,
            true,
            alone(u.getFromItem(), u.getJoins(), u.getStartJoins()));
        selfJoin(u.getTable(), u.getFromItem(), u.getJoins(), u.getStartJoins());
      }
      case Insert i -> {
        write(i.getTable(), null, depth, false, true);
        if (EveryRowWrites.upsertFromTable(i)) {
          facts.flags.add(RiskFlag.TAUTOLOGICAL_WHERE);
        }
        // DO UPDATE locks every conflicting row before its WHERE is tested; the tag counts only the
        // rows it updated.
        if (i.getConflictAction() != null
            && i.getConflictAction().getConflictActionType() == ConflictActionType.DO_UPDATE
            && i.getConflictAction().getWhereExpression() != null) {
          facts.flags.add(RiskFlag.UNCOUNTED_LOCK);
        }
      }
      case Merge m -> {
        write(m.getTable(), null, depth, false, true);
        merge(m);
      }
      case PlainSelect p -> select(p, depth);
      default -> {}
    }
    boolean query = inQuery || node instanceof Select;
    Set<String> scope = ctes;
    List<?> withItems = withItems(node);
    if (!withItems.isEmpty()) {
      scope = withScope(withItems, ctes, depth);
    }
    for (Field f : FIELDS.get(type)) {
      Object value;
      try {
        value = f.get(node);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + f, e);
      }
      if (value == null || value == withItems || qualifierOnly(node, f, value)) {
        continue;
      }
      visit(value, scope, query, depth + 1);
    }
  }

  /** Visits each WITH item with the names visible to it, and returns the names of all of them. */
  private Set<String> withScope(List<?> items, Set<String> outer, int depth) {
    Set<String> visible = new HashSet<>(outer);
    for (Object o : items) {
      if (!(o instanceof WithItem<?> item)) {
        continue;
      }
      String name = Names.identifier(item.getAliasName());
      // A WITH item sees the items before it; only WITH RECURSIVE lets it see itself.
      Set<String> own = new HashSet<>(visible);
      if (item.isRecursive() && name != null) {
        own.add(name);
      }
      visit(item.getStatement(), Set.copyOf(own), true, depth + 1);
      if (name != null) {
        visible.add(name);
      }
    }
    return Set.copyOf(visible);
  }

  private static List<?> withItems(Object node) {
    List<?> items =
        switch (node) {
          case Select s -> s.getWithItemsList();
          case Insert i -> i.getWithItemsList();
          case Update u -> u.getWithItemsList();
          case Delete d -> d.getWithItemsList();
          case Merge m -> m.getWithItemsList();
          default -> null;
        };
    return items == null ? List.of() : items;
  }

  /** Fields that name a table only to qualify a column or a lock, not to read it. */
  private static boolean qualifierOnly(Object node, Field f, Object value) {
    if (node instanceof Column || node instanceof AllTableColumns) {
      return value instanceof Table;
    }
    if (node instanceof Select) {
      return f.getName().startsWith("forUpdateTable");
    }
    return false;
  }

  private void table(Table t, Set<String> ctes, boolean inQuery) {
    String name = t.getName();
    if (name == null) {
      return;
    }
    String schema = t.getSchemaName();
    if ((schema == null || schema.isEmpty()) && ctes.contains(Names.identifier(name))) {
      return;
    }
    TableRef ref = Names.table(schema, name, context);
    if (BuiltinCatalog.CREDENTIAL_CATALOGS.contains(ref.qualified())) {
      facts.flags.add(RiskFlag.CREDENTIAL_CATALOG);
    }
    if (targets.contains(t) || (ddl && !inQuery)) {
      facts.tablesWritten.add(ref);
    } else {
      facts.tablesRead.add(ref);
    }
  }

  private void function(Function f) {
    List<String> parts = f.getMultipartName();
    if (parts == null || parts.isEmpty() || f.getName() == null) {
      return;
    }
    String name = Names.function(parts);
    facts.functions.add(name);
    if (name.equals("set_config")) {
      setConfig(f);
    }
  }

  /** Records {@code set_config(name, value, local)} as a setting change. */
  private void setConfig(Function f) {
    facts.flags.add(RiskFlag.SETTING_CHANGE);
    facts.literalSensitive = true;
    List<?> args = f.getParameters() == null ? List.of() : f.getParameters();
    String name = args.size() > 0 ? constant(args.get(0)) : null;
    String value = args.size() > 1 ? constant(args.get(1)) : null;
    String key = name == null ? "?" : name.toLowerCase(Locale.ROOT);
    facts.settings.put(key, value == null ? "?" : value);
    if (key.equals("role") || key.equals("session_authorization") || key.equals("?")) {
      facts.flags.add(RiskFlag.ROLE_CHANGE);
    }
  }

  private String constant(Object arg) {
    return arg instanceof StringValue s ? text.literal(s.getValue()) : null;
  }

  /** True when a write reads no relation beside its target (no FROM, USING or join). */
  private static boolean alone(Object... sources) {
    for (Object source : sources) {
      if (source instanceof java.util.Collection<?> c ? !c.isEmpty() : source != null) {
        return false;
      }
    }
    return true;
  }

  private void write(Table target, Expression where, int depth, boolean needsWhere, boolean alone) {
    if (target != null) {
      targets.add(target);
    }
    if (depth > 0) {
      facts.flags.add(RiskFlag.WRITE_IN_CTE);
    }
    if (!needsWhere) {
      return;
    }
    if (where == null) {
      facts.flags.add(RiskFlag.NO_WHERE);
      return;
    }
    Tautology tautology =
        new Tautology(text, RowReferences.namesOf(target), tableName(target), alone, ctes);
    if (tautology.isTautology(where)) {
      facts.flags.add(RiskFlag.TAUTOLOGICAL_WHERE);
    }
    // The every-row check folds literals (`x > 5 OR x <= 5` against `x > 5 OR x <= 6`), so a
    // write's analysis is never shared with another spelling of its literals (fail closed), but
    // where a conjunct sets a target column equal to a literal: that check cannot find every row
    // then, whatever the literals (`UPDATE … WHERE aid = 5678`, the common write).
    if (!tautology.restrictsWhateverItsLiterals(where)) {
      facts.literalSensitive = true;
    }
  }

  private static String tableName(Table t) {
    return t == null || t.getName() == null ? null : Names.identifier(t.getName());
  }

  /**
   * A write joined to its own table ({@code USING t t2}, {@code FROM t t2}) may reach every row.
   */
  private void selfJoin(Table target, Object... sources) {
    String name = tableName(target);
    for (Object source : sources) {
      if (RowReferences.mentionsTable(source, name, 0)) {
        facts.flags.add(RiskFlag.TAUTOLOGICAL_WHERE);
      }
    }
  }

  /** MERGE: an ON that holds for every row, or a source that reads the target, may touch all. */
  private void merge(Merge m) {
    Tautology on =
        new Tautology(
            text, RowReferences.namesOf(m.getTable()), tableName(m.getTable()), false, ctes);
    if (m.getOnCondition() == null
        || on.isTautology(m.getOnCondition())
        || RowReferences.mentionsTable(m.getFromItem(), tableName(m.getTable()), 0)
        || RowReferences.mentionsTable(m.getUsingTable(), tableName(m.getTable()), 0)) {
      facts.flags.add(RiskFlag.TAUTOLOGICAL_WHERE);
    }
    // as for WHERE: the ON condition's literals decide whether it holds for every row
    facts.literalSensitive = true;
  }

  private void select(PlainSelect p, int depth) {
    if (p.getIntoTables() != null && !p.getIntoTables().isEmpty()) {
      targets.addAll(p.getIntoTables());
      facts.flags.add(RiskFlag.SELECT_INTO);
    }
    if (p.getIntoTempTable() != null) {
      targets.add(p.getIntoTempTable());
      facts.flags.add(RiskFlag.SELECT_INTO);
    }
    ForMode mode = p.getForMode();
    boolean locking =
        mode == null
            ? p.getForUpdate() != null
            : mode != ForMode.READ_ONLY && mode != ForMode.FETCH_ONLY;
    if (locking) {
      facts.flags.add(RiskFlag.LOCKING_READ);
      if (depth > 0 || !oneTable(p)) {
        facts.flags.add(RiskFlag.UNCOUNTED_LOCK);
      }
    }
  }

  /**
   * True when a locking SELECT reads one table and skips no row: then the rows it locks are the
   * rows it returns, which its tag counts. A join locks a row of every table per row returned; a
   * subquery in FROM takes the lock inside, on rows the outer WHERE may then drop (red-team round
   * 57: a 50-way self-join returning 100 rows locked 5,000; {@code FROM (SELECT … OFFSET 0) s WHERE
   * false FOR UPDATE} locked every row of the subquery as "SELECT 0"); an OFFSET skips rows that
   * are locked all the same (round 58: {@code … ORDER BY id OFFSET 4999 FOR UPDATE} locked 5,000 as
   * "SELECT 1"). A LIMIT, or a FETCH … ONLY, stops the locking with the rows it returns; FETCH …
   * WITH TIES reads (and locks) the first row past the ties to see that it does not tie, and drops
   * it (round 59: {@code FETCH FIRST 100 ROWS WITH TIES FOR UPDATE} locked 101 as "SELECT 100").
   */
  private static boolean oneTable(PlainSelect p) {
    return p.getFromItem() instanceof Table
        && (p.getJoins() == null || p.getJoins().isEmpty())
        && p.getOffset() == null
        && (p.getLimit() == null || p.getLimit().getOffset() == null)
        && (p.getFetch() == null || fetchesOnly(p.getFetch()));
  }

  private static boolean fetchesOnly(net.sf.jsqlparser.statement.select.Fetch fetch) {
    List<String> words = fetch.getFetchParameters();
    return words != null
        && words.stream().anyMatch(w -> w.equalsIgnoreCase("ONLY"))
        && words.stream().noneMatch(w -> w.toUpperCase(java.util.Locale.ROOT).contains("TIES"));
  }
}
