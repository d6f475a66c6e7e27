package dev.gatehouse.engine.sql.lineage;

import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.RowGetExpression;
import net.sf.jsqlparser.schema.Column;

/** The column name PostgreSQL reports for an unaliased select-list expression (FigureColname). */
final class OutputNames {

  private OutputNames() {}

  static String of(Expression e) {
    return switch (e) {
      case Column c -> Names.normalize(c.getColumnName());
      case Function f -> Names.normalize(f.getMultipartName().getLast());
      case AnalyticExpression a -> Names.normalize(a.getName());
      case CastExpression c when c.getLeftExpression() instanceof Column ->
          of(c.getLeftExpression());
      case CastExpression c -> Names.normalize(c.getColDataType().getDataType());
      case CollateExpression c -> of(c.getLeftExpression());
      case RowGetExpression r -> Names.normalize(r.getColumnName());
      default -> "?column?";
    };
  }
}
