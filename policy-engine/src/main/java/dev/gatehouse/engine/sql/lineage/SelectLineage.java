package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.TableStatement;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;

/** The lineage of a query's result columns: SELECT, set operations, VALUES, TABLE, WITH. */
final class SelectLineage {

  private final ModifyingLineage modifying = new ModifyingLineage(this);
  final ClauseUses uses = new ClauseUses(this);

  /**
   * The selects whose select lists' values go to the client as they are: the statement's own, its
   * set operation's arms, in parentheses or not. Identity: equal selects elsewhere are not these.
   */
  private final Set<Select> toClient = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Whether the select list being resolved is one of {@link #toClient}'s. */
  private boolean listToClient;

  /** Set when a use was decided by a literal's text: the analysis may not be shared by shape. */
  boolean literalShaped;

  /** A string literal's value from the text the parser was given (null: unknown). */
  java.util.function.UnaryOperator<String> literals = placeholder -> null;

  /**
   * The output columns of the statement {@code select}, whose values leave the statement as they
   * are: to the client, or as an INSERT's or CREATE TABLE AS's rows to a table.
   */
  List<OutputColumn> top(Select select, Scope root) {
    markToClient(select);
    return select(select, root);
  }

  private void markToClient(Select select) {
    toClient.add(select);
    switch (select) {
      case SetOperationList set -> set.getSelects().forEach(this::markToClient);
      case ParenthesedSelect p -> markToClient(p.getSelect());
      default -> {}
    }
  }

  /** The output columns of {@code select}, evaluated inside {@code outer} (for correlation). */
  List<OutputColumn> select(Select select, Scope outer) {
    Scope scope = outer.child();
    if (select.getWithItemsList() != null) {
      for (WithItem<?> item : select.getWithItemsList()) {
        defineCte(item, scope);
      }
    }
    List<OutputColumn> outputs =
        switch (select) {
          case PlainSelect plain -> plain(plain, scope);
          case SetOperationList set -> setOperation(set, scope);
          case ParenthesedSelect parenthesed -> select(parenthesed.getSelect(), scope);
          case Values values -> values(values, scope);
          case TableStatement table -> {
            Relation relation = relation(table.getTable(), scope);
            yield relation.star();
          }
          default -> List.of(FailClosed.everything(select, scope, this).named("?column?"));
        };
    uses.clauses(select, scope, outputs);
    return outputs;
  }

  void defineCte(WithItem<?> item, Scope scope) {
    String name = Names.identifier(item.getAliasName());
    List<String> columnNames = new ArrayList<>();
    if (item.getWithItemList() != null) {
      for (SelectItem<?> c : item.getWithItemList()) {
        columnNames.add(Names.identifier(c.getExpression().toString()));
      }
    }
    // getSelect() and its siblings cast the item's statement, so its class is asked first
    if (!(item.getParenthesedStatement() instanceof ParenthesedSelect)) {
      List<OutputColumn> returning = modifying.ofCte(item, scope);
      scope.addCte(name, new Relation.Derived(name, Renames.rename(returning, columnNames), false));
      return;
    }
    ParenthesedSelect body = item.getSelect();
    if (item.isRecursive()) {
      // The recursive term reads the CTE itself: start from the non-recursive term and widen the
      // lineage until it stops growing (sources only ever grow, so this ends).
      Select seed =
          body.getSelect() instanceof SetOperationList set ? set.getSelects().getFirst() : body;
      List<OutputColumn> current = Renames.rename(select(seed, scope), columnNames);
      for (int i = 0; i < 8; i++) {
        scope.addCte(name, new Relation.Derived(name, current, false));
        List<OutputColumn> next = Renames.rename(select(body, scope), columnNames);
        if (next.equals(current)) {
          break;
        }
        current = next;
      }
      scope.addCte(name, new Relation.Derived(name, generated(item, current), false));
      return;
    }
    scope.addCte(
        name,
        new Relation.Derived(
            name, generated(item, Renames.rename(select(body, scope), columnNames)), false));
  }

  /**
   * The columns a recursive CTE's SEARCH and CYCLE clauses add: the ordering column ({@code SET
   * ord}) and the cycle path ({@code USING p}) hold the searched rows' values, and the cycle mark
   * says whether values repeat, so each derives from every column of the CTE.
   */
  private static List<OutputColumn> generated(WithItem<?> item, List<OutputColumn> columns) {
    List<String> names = new ArrayList<>();
    if (item.getSearchClause() != null) {
      names.add(item.getSearchClause().getSequenceColumnName());
    }
    if (item.getCycleClause() != null) {
      names.add(item.getCycleClause().getMarkColumnName());
      names.add(item.getCycleClause().getPathColumnName());
    }
    names.removeIf(java.util.Objects::isNull);
    if (names.isEmpty()) {
      return columns;
    }
    Lineage all = union(columns);
    List<OutputColumn> out = new ArrayList<>(columns);
    names.forEach(n -> out.add(all.named(Names.identifier(n))));
    return out;
  }

  private List<OutputColumn> plain(PlainSelect plain, Scope scope) {
    if (plain.getFromItem() != null) {
      addFrom(plain.getFromItem(), scope);
    }
    if (plain.getJoins() != null) {
      for (Join join : plain.getJoins()) {
        addFrom(join.getFromItem(), scope);
      }
      plain.getJoins().forEach(j -> uses.join(j, scope));
    }
    uses.where("WHERE", plain.getWhere(), scope);
    boolean was = listToClient;
    listToClient = toClient.contains(plain);
    List<OutputColumn> out;
    try {
      out = items(plain.getSelectItems(), scope);
    } finally {
      listToClient = was;
    }
    if (plain.getDistinct() != null && plain.getDistinct().getOnSelectItems() == null) {
      // DISTINCT compares (and usually sorts) the output values: rows come back in their order
      uses.add("DISTINCT", plain.getDistinct(), union(out), false, null);
    }
    return out;
  }

  private static Lineage union(List<OutputColumn> columns) {
    Lineage l = new Lineage();
    columns.forEach(l::add);
    return l;
  }

  /** The output columns of a select list (also RETURNING lists). */
  List<OutputColumn> items(List<SelectItem<?>> items, Scope scope) {
    List<OutputColumn> out = new ArrayList<>();
    for (SelectItem<?> item : items) {
      Expression e = item.getExpression();
      if (e instanceof AllTableColumns tableStar) {
        Relation r = scope.relation(Names.identifier(tableStar.getTable().getName()));
        out.addAll(r == null ? List.of(ExpressionLineage.of(e, scope, this).named("*")) : r.star());
      } else if (e instanceof AllColumns) {
        scope.relations().forEach(r -> out.addAll(r.star()));
      } else {
        String name =
            item.getAlias() != null
                ? Names.identifier(item.getAlias().getName())
                : OutputNames.of(e);
        // a subquery inside is resolved by plain(), which sets and restores listToClient itself
        out.add(output(e, scope).named(name));
        computedUses(e, scope, listToClient);
      }
    }
    return out;
  }

  /**
   * The uses an output expression makes of its inputs beyond passing them on: set-returning calls
   * (rows from a value), computations that may raise (an error oracle) and conditions. A select
   * list's items and a VALUES list's cells alike.
   */
  private void computedUses(Expression e, Scope scope, boolean toClient) {
    SetReturning.calls(e)
        .forEach(
            f -> {
              uses.add(SetReturning.CLAUSE, f, ExpressionLineage.of(f, scope, this), false, null);
              opaqueArguments(f, scope);
            });
    for (Expression c :
        ErrorOracle.computations(
            e, toClient, literals, () -> literalShaped = true, c -> baseColumn(c, scope))) {
      uses.add(ErrorOracle.CLAUSE, c, raisesBy(c, scope), false, null);
    }
    for (Conditions.Found c : Conditions.in(e)) {
      uses.add(c.clause(), c.node(), ExpressionLineage.of(c.node(), scope, this), false, null);
    }
  }

  /** Whether {@code c} is a column of a table (or view), not of a subquery, CTE or function. */
  private static boolean baseColumn(net.sf.jsqlparser.schema.Column c, Scope scope) {
    if (c.getTable() != null && c.getTable().getName() != null) {
      return scope.relation(Names.identifier(c.getTable().getName())) instanceof Relation.Base;
    }
    return !scope.relations().isEmpty()
        && scope.relations().stream().allMatch(r -> r instanceof Relation.Base);
  }

  /**
   * A function that yields rows from arguments that carry the result of a function Gatehouse cannot
   * see into: the rows (how many, which) spell that result out, as they would a masked column's
   * (red-team T3, T7: {@code FROM generate_series(1, ascii(app.customer_email(1)))}, {@code
   * regexp_split_to_table(app.customer_email(1), '')}). A call with only literal arguments decides
   * its own rows and is no use.
   */
  private void opaqueArguments(net.sf.jsqlparser.expression.Function f, Scope scope) {
    Lineage inputs = raisesBy(f, scope);
    if (inputs.isOpaque()) {
      uses.add("the arguments of a function that returns rows", f, inputs, false, null);
    }
  }

  /**
   * What decides whether computation {@code c} raises: its inputs. A function's own result does not
   * (its arguments do), so a bare call of a function Gatehouse cannot see into is no oracle; a
   * raising computation over such a call's result is one, since the result may be a masked value
   * (red-team S5: {@code ('1' || translate(substr(app.customer_email(3),1,1),'c','2'))::int}).
   */
  private Lineage raisesBy(Expression c, Scope scope) {
    if (c instanceof net.sf.jsqlparser.expression.Function f
        && f.getNamedParameters() == null
        && f.getOrderByElements() == null
        && f.getKeep() == null) {
      Lineage inputs = new Lineage();
      List<?> args = f.getParameters() == null ? List.of() : f.getParameters();
      for (Object arg : args) {
        if (!(arg instanceof Expression x)) {
          return ExpressionLineage.of(c, scope, this);
        }
        inputs.add(ExpressionLineage.of(x, scope, this));
      }
      return inputs;
    }
    return ExpressionLineage.of(c, scope, this);
  }

  void addFrom(FromItem from, Scope scope) {
    switch (from) {
      case Table table -> scope.addRelation(relation(table, scope));
      case ParenthesedSelect sub -> {
        List<OutputColumn> columns = select(sub.getSelect(), scope);
        scope.addRelation(Renames.derived(sub.getAlias(), "subquery", columns, false));
      }
      case TableFunction function when modelled(function) -> {
        String fallback = Names.identifier(function.getFunction().getMultipartName().getLast());
        Lineage lineage = ExpressionLineage.of(function.getFunction(), scope, this);
        Alias alias = function.getAlias();
        boolean listed = alias != null && alias.getAliasColumns() != null;
        String name = alias == null ? fallback : Names.identifier(alias.getName());
        List<OutputColumn> columns = new ArrayList<>();
        if (listed) {
          alias
              .getAliasColumns()
              .forEach(c -> columns.add(lineage.named(Names.identifier(c.name))));
        } else {
          columns.add(lineage.named(name));
        }
        scope.addRelation(new Relation.Derived(name, columns, !listed));
        uses.add("FROM", function, lineage, false, null);
        opaqueArguments(function.getFunction(), scope);
      }
      case ParenthesedFromItem group -> {
        // a parenthesized join: its relations are visible by their own names, and, when the
        // group has an alias, as one relation of that name holding all their columns
        Scope inner = scope.child();
        addFrom(group.getFromItem(), inner);
        if (group.getJoins() != null) {
          group.getJoins().forEach(j -> addFrom(j.getFromItem(), inner));
        }
        if (group.getAlias() != null) {
          List<OutputColumn> columns = new ArrayList<>();
          inner.relations().forEach(r -> columns.addAll(r.star()));
          scope.addRelation(Renames.derived(group.getAlias(), "subquery", columns, false));
        } else {
          inner.relations().forEach(scope::addRelation);
        }
      }
      case Values values -> {
        Alias alias = values.getAlias();
        scope.addRelation(Renames.derived(alias, "*VALUES*", values(values, scope), false));
      }
      // Anything else in FROM (ROWS FROM, XMLTABLE, JSON_TABLE, a construct of a later release)
      // reads what it names: every column it yields derives from every column and row beneath it.
      default -> {
        Lineage l = FailClosed.everything(from, scope, this);
        uses.add("FROM", from, l, false, null);
        String name =
            from.getAlias() == null ? "?from?" : Names.identifier(from.getAlias().getName());
        scope.addRelation(new Relation.Derived(name, List.of(l.named(name)), true));
      }
    }
  }

  /** A plain call of a named function in FROM; ROWS FROM, XMLTABLE and the like are not. */
  private static boolean modelled(TableFunction function) {
    var f = function.getFunction();
    return f != null
        && f.getMultipartName() != null
        && !f.getMultipartName().isEmpty()
        && !function.isRowsFrom();
  }

  private Relation relation(Table table, Scope scope) {
    String name = Names.identifier(table.getName());
    String alias = table.getAlias() == null ? name : Names.identifier(table.getAlias().getName());
    if (table.getSchemaName() == null) {
      Relation.Derived cte = scope.cte(name);
      if (cte != null) {
        return Renames.aliased(cte, alias, table.getAlias());
      }
    }
    List<String> columnAliases =
        table.getAlias() == null || table.getAlias().getAliasColumns() == null
            ? List.of()
            : table.getAlias().getAliasColumns().stream()
                .map(c -> Names.identifier(c.name))
                .toList();
    return new Relation.Base(
        alias, Names.table(table.getSchemaName(), table.getName(), scope.context()), columnAliases);
  }

  private List<OutputColumn> setOperation(SetOperationList set, Scope scope) {
    List<List<OutputColumn>> branches = new ArrayList<>();
    for (Select branch : set.getSelects()) {
      branches.add(select(branch, scope));
    }
    if (set.getOperations().stream().anyMatch(SelectLineage::compares)) {
      // UNION, INTERSECT and EXCEPT (with or without ALL) compare rows: membership of a value in
      // the other branch shows in which rows, or how many, come back; only UNION ALL just appends
      Lineage all = new Lineage();
      branches.forEach(b -> all.add(union(b)));
      uses.add("UNION, INTERSECT or EXCEPT", set, all, false, null);
    }
    List<OutputColumn> first = branches.getFirst();
    boolean aligned =
        branches.stream()
            .allMatch(b -> b.size() == first.size() && b.stream().noneMatch(SelectLineage::isStar));
    List<OutputColumn> out = new ArrayList<>();
    if (aligned) {
      // Column i of the result holds column i of whichever branch produced the row.
      for (int i = 0; i < first.size(); i++) {
        Lineage l = new Lineage();
        for (List<OutputColumn> b : branches) {
          l.add(b.get(i));
        }
        out.add(l.named(first.get(i).name()));
      }
      return out;
    }
    // Widths unknown (a star over a base table): every column may hold anything of any branch.
    Lineage all = new Lineage();
    branches.forEach(b -> b.forEach(all::add));
    for (OutputColumn c : first) {
      Lineage l = new Lineage().add(all);
      out.add(l.named(c.name()));
    }
    return out;
  }

  private static boolean compares(net.sf.jsqlparser.statement.select.SetOperation op) {
    return !(op instanceof net.sf.jsqlparser.statement.select.UnionOp && op.isAll());
  }

  private List<OutputColumn> values(Values values, Scope scope) {
    ExpressionList<?> rows = values.getExpressions();
    List<List<Expression>> table = new ArrayList<>();
    if (rows.stream().allMatch(r -> r instanceof ExpressionList<?>)) {
      rows.forEach(r -> table.add(new ArrayList<>((ExpressionList<?>) r)));
    } else {
      table.add(new ArrayList<>(rows));
    }
    int width = table.stream().mapToInt(List::size).max().orElse(0);
    List<OutputColumn> out = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      Lineage l = new Lineage();
      for (List<Expression> row : table) {
        if (i < row.size()) {
          l.add(output(row.get(i), scope));
          // A VALUES cell is an output expression too (red-team S9: LATERAL (VALUES (1/…))).
          computedUses(row.get(i), scope, toClient.contains(values));
        }
      }
      out.add(l.named("column" + (i + 1)));
    }
    return out;
  }

  /**
   * The lineage of an output expression. An opaque value is only worth content detection when it
   * reaches the output as it is; computed on (hashed, reversed, encoded), it gets the {@link
   * LineageResolver#TRANSFORMED_OPAQUE} mark.
   */
  private Lineage output(Expression e, Scope scope) {
    Lineage l = ExpressionLineage.of(e, scope, this);
    if (l.isOpaque() && !passesValueThrough(e)) {
      l.add(LineageResolver.TRANSFORMED_OPAQUE);
    }
    return l;
  }

  private static boolean passesValueThrough(Expression e) {
    return switch (e) {
      case net.sf.jsqlparser.schema.Column c -> true;
      case net.sf.jsqlparser.expression.Function f ->
          !KnownFunctions.transparent(f.getMultipartName());
      // a cast keeps the value whole only into an unbounded text type: varchar(5), char(8),
      // tsvector and the like cut or reshape it past what a detector recognises
      case net.sf.jsqlparser.expression.CastExpression c ->
          keepsWholeText(c) && passesValueThrough(c.getLeftExpression());
      case net.sf.jsqlparser.expression.Parenthesis p -> passesValueThrough(p.getExpression());
      case ExpressionList<?> list when list.size() == 1 -> passesValueThrough(list.getFirst());
      case ParenthesedSelect s -> true;
      default -> false;
    };
  }

  private static final java.util.Set<String> WHOLE_TEXT_TYPES =
      java.util.Set.of(
          "text", "varchar", "character varying", "pg_catalog.text", "pg_catalog.varchar");

  private static boolean keepsWholeText(net.sf.jsqlparser.expression.CastExpression c) {
    var type = c.getColDataType();
    return type != null
        && (type.getArgumentsStringList() == null || type.getArgumentsStringList().isEmpty())
        && type.getArrayData().isEmpty()
        && WHOLE_TEXT_TYPES.contains(type.getDataType().toLowerCase(java.util.Locale.ROOT).strip());
  }

  static boolean isStar(OutputColumn c) {
    return c.name().equals(LineageResolver.ALL_COLUMNS);
  }
}
