package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.ParserText;
import dev.gatehouse.engine.sql.model.Names;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * {@code id IN (SELECT id FROM same_table)} and {@code id = ANY (SELECT ...)}: a subquery over the
 * write's own table, without a condition that restricts it, hands back every row's key.
 */
final class SameTable {

  private SameTable() {}

  /** True when {@code right} is a subquery reading {@code table} with no restricting WHERE. */
  static boolean selectsEveryRow(
      Expression right, String table, ParserText text, Map<String, List<Object>> ctes) {
    PlainSelect plain = direct(right, table);
    if (plain == null || restrictsRows(plain)) {
      return false;
    }
    if (plain.getWhere() == null) {
      return true;
    }
    Table from = (Table) plain.getFromItem();
    Tautology inner = new Tautology(text, RowReferences.namesOf(from), table, true, ctes);
    return inner.isTautology(plain.getWhere());
  }

  /**
   * {@code right} as a subquery reading {@code table} directly and alone ({@code SELECT … FROM
   * table [WHERE …]}), the shape {@link #selectsEveryRow} judges; else null.
   */
  static PlainSelect direct(Expression right, String table) {
    Select select =
        switch (right) {
          case ParenthesedSelect p -> p.getSelect();
          case Select s -> s;
          case null, default -> null;
        };
    while (select instanceof ParenthesedSelect p) {
      select = p.getSelect();
    }
    boolean direct =
        table != null
            && select instanceof PlainSelect plain
            && plain.getFromItem() instanceof Table from
            && from.getName() != null
            && Names.identifier(from.getName()).equals(table)
            && (plain.getJoins() == null || plain.getJoins().isEmpty())
            && (plain.getWithItemsList() == null || plain.getWithItemsList().isEmpty());
    return direct ? (PlainSelect) select : null;
  }

  /**
   * True when a LIMIT or FETCH keeps rows out: a plain count below 2^31, or a parameter (its value
   * is data, for the row bound). {@code LIMIT ALL}, {@code LIMIT NULL}, a count past every int4 and
   * any expression or subquery may keep every row (red-team round 29, T29-2).
   */
  private static boolean restrictsRows(PlainSelect plain) {
    net.sf.jsqlparser.statement.select.Limit limit = plain.getLimit();
    net.sf.jsqlparser.statement.select.Fetch fetch = plain.getFetch();
    if (limit != null) {
      return !limit.isLimitAll() && !limit.isLimitNull() && count(limit.getRowCount());
    }
    if (fetch != null) {
      // WITH TIES keeps every row that ties with the last (all of them, on a constant sort key:
      // red-team round 30, T30-5); FETCH FIRST ROW ONLY (no count) is one row
      boolean ties =
          fetch.getFetchParameters() != null
              && fetch.getFetchParameters().stream()
                  .anyMatch(p -> p.toUpperCase(java.util.Locale.ROOT).contains("TIES"));
      return !ties && (fetch.getExpression() == null || count(fetch.getExpression()));
    }
    return false;
  }

  private static boolean count(Expression e) {
    if (e instanceof net.sf.jsqlparser.expression.LongValue v) {
      try {
        return v.getValue() < Integer.MAX_VALUE;
      } catch (RuntimeException tooLarge) {
        return false;
      }
    }
    return e instanceof net.sf.jsqlparser.expression.JdbcParameter
        || e instanceof net.sf.jsqlparser.expression.JdbcNamedParameter;
  }

  /** {@code x = ANY (SELECT ... FROM same_table)} (or IN written as = ANY / = SOME). */
  static boolean anyOfSameTable(
      Expression left,
      Expression right,
      String op,
      String table,
      ParserText text,
      Map<String, List<Object>> ctes) {
    if (!"=".equals(op) || !(right instanceof AnyComparisonExpression any)) {
      return false;
    }
    return left != null && selectsEveryRow(any.getSelect(), table, text, ctes);
  }
}
