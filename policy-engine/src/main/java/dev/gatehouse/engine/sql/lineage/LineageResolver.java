package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Computes, for each output column of a parsed statement, the base columns its values derive from.
 * Catalog-free: {@code *} and whole-row references yield {@code ColumnRef(table, "*")}, which the
 * mask planner expands with the catalog.
 *
 * <p>An output column named {@value #ALL_COLUMNS} stands for the unknown number of columns that
 * {@code *} over a base relation expands to. Where lineage cannot be established (a user function,
 * dynamic SQL) the column is marked opaque; its known sources are still listed.
 */
public final class LineageResolver {

  /** The column name of a whole-row or star source, and of a star output entry. */
  public static final String ALL_COLUMNS = "*";

  /**
   * The prefix of a column named by its position ({@code #3}: the third column), for tables whose
   * columns a query renames with an alias list.
   */
  public static final String POSITION = "#";

  /**
   * A source that marks a value computed from an opaque one (e.g. {@code md5(app.f(1))}): no
   * content detector can recognise what the opaque value became, so such a column cannot rely on
   * detection. An opaque value that reaches the output unchanged carries no such mark.
   */
  public static final ColumnRef TRANSFORMED_OPAQUE =
      new ColumnRef(new TableRef(null, "?opaque"), "?transformed");

  private LineageResolver() {}

  /**
   * The lineage of a statement's result columns and its uses of column values elsewhere; {@code
   * literalShaped} when a literal's text decided a use (the analysis then holds for these literals
   * only).
   */
  public record Resolution(
      List<OutputColumn> outputColumns, List<ColumnUse> uses, boolean literalShaped) {
    public Resolution {
      outputColumns = List.copyOf(outputColumns);
      uses = List.copyOf(uses);
    }
  }

  /** The lineage of {@code statement}'s result columns; empty when it returns no rows. */
  public static List<OutputColumn> outputColumns(Statement statement, AnalysisContext context) {
    return resolve(statement, context).outputColumns();
  }

  /**
   * Output lineage and uses. A tree this resolver cannot follow fails closed: one result column and
   * one use, each deriving from the whole rows of every table the statement names.
   */
  public static Resolution resolve(Statement statement, AnalysisContext context) {
    return resolve(statement, context, placeholder -> null);
  }

  /**
   * As {@link #resolve(Statement, AnalysisContext)}, with the values of the string literals the
   * parser was given as placeholders ({@code ParserText#literal}): a use decided by one is then
   * decided by its value, not failed closed.
   */
  public static Resolution resolve(
      Statement statement,
      AnalysisContext context,
      java.util.function.UnaryOperator<String> literals) {
    AnalysisContext c = context == null ? AnalysisContext.DEFAULT : context;
    SelectLineage selects = new SelectLineage();
    selects.literals = literals;
    try {
      List<OutputColumn> columns = resolve(statement, c, selects);
      return new Resolution(columns, selects.uses.all(), selects.literalShaped);
    } catch (RuntimeException e) {
      List<OutputColumn> all = FailClosed.statement(statement, c);
      ColumnUse use =
          new ColumnUse(
              "a construct the analyser cannot follow",
              FailClosed.UNKNOWN,
              all.getFirst().sources(),
              false,
              null);
      return new Resolution(all, List.of(use), false);
    }
  }

  private static List<OutputColumn> resolve(
      Statement statement, AnalysisContext context, SelectLineage selects) {
    Scope root = Scope.root(context);
    ModifyingLineage modifying = new ModifyingLineage(selects);
    return switch (statement) {
      case Select select when CreatedFrom.into(select) != null ->
          CreatedFrom.write(select, CreatedFrom.into(select), root, selects);
      case Select select -> selects.top(select, root);
      case net.sf.jsqlparser.statement.create.table.CreateTable t when t.getSelect() != null ->
          CreatedFrom.write(t.getSelect(), t.getTable(), root, selects);
      case net.sf.jsqlparser.statement.create.view.CreateView v when v.getSelect() != null ->
          CreatedFrom.write(v.getSelect(), v.getView(), root, selects);
      case Insert insert -> modifying.insert(insert, root);
      case Update update -> modifying.update(update, root);
      case Delete delete -> modifying.delete(delete, root);
      case Merge merge -> modifying.merge(merge, root);
      // A plan carries no table data, but its row estimates come from the planner's statistics
      // (histograms, most common values) for the filters it is given: the explained statement's
      // uses are uses of the EXPLAIN.
      case ExplainStatement explain -> {
        if (explain.getStatement() != null) {
          resolve(explain.getStatement(), context, selects);
        }
        yield List.of(new Lineage().named("QUERY PLAN"));
      }
      case ShowStatement show -> List.of(new Lineage().named(show.getName()));
      case null, default -> List.of();
    };
  }
}
