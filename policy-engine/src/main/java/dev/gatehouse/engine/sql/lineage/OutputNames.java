package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.Names;
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
      case Column c -> Names.identifier(c.getColumnName());
      case Function f -> Names.identifier(f.getMultipartName().getLast());
      case AnalyticExpression a -> Names.identifier(a.getName());
      // A cast keeps its argument's name when that has one, else takes its type's name without
      // its modifiers (PostgreSQL's TypeCast rule): never a literal, so equal for statements that
      // differ only in literals (the analysis cache relies on it).
      case CastExpression c when !of(c.getLeftExpression()).equals("?column?") ->
          of(c.getLeftExpression());
      case CastExpression c -> typeName(c.getColDataType().getDataType());
      case CollateExpression c -> of(c.getLeftExpression());
      case RowGetExpression r -> Names.identifier(r.getColumnName());
      default -> "?column?";
    };
  }

  private static String typeName(String dataType) {
    int paren = dataType.indexOf('(');
    String bare = (paren < 0 ? dataType : dataType.substring(0, paren)).strip();
    int dot = bare.lastIndexOf('.');
    return Names.identifier(dot < 0 ? bare : bare.substring(dot + 1));
  }
}
