package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.List;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Relations created from a query ({@code CREATE TABLE ... AS}, {@code SELECT ... INTO}, {@code
 * CREATE [MATERIALIZED] VIEW ... AS}): every column of the query is a value written to a column of
 * the new relation, which no masking rule covers yet, so the write check decides on them like on an
 * {@code INSERT ... SELECT}. They return no rows.
 */
final class CreatedFrom {

  private CreatedFrom() {}

  /** The table a {@code SELECT ... INTO} creates, or null. */
  static Table into(Select select) {
    if (select instanceof PlainSelect p
        && p.getIntoTables() != null
        && !p.getIntoTables().isEmpty()) {
      return p.getIntoTables().getFirst();
    }
    return null;
  }

  static List<OutputColumn> write(Select query, Table created, Scope root, SelectLineage selects) {
    List<OutputColumn> columns = selects.top(query, root);
    ColumnRef every =
        new ColumnRef(
            Names.table(created.getSchemaName(), created.getName(), root.context()),
            LineageResolver.ALL_COLUMNS);
    for (OutputColumn c : columns) {
      selects.uses.add("CREATE ... AS", query, Lineage.of(c), false, every);
    }
    return List.of();
  }
}
