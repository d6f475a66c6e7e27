package dev.gatehouse.engine.masking.catalog;

import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A relation of the catalog.
 *
 * @param kind pg_class.relkind: {@code r} table, {@code v} view, {@code m} materialized view, ...
 * @param columns column names by attribute number - 1; null for a dropped column
 * @param viewColumns for views: each column's lineage over the relations the view reads
 * @param plainViewColumns for views: the columns that are a plain column of what the view reads
 */
public record RelationInfo(
    int oid,
    TableRef name,
    char kind,
    List<String> columns,
    Map<String, OutputColumn> viewColumns,
    Set<String> plainViewColumns) {

  public RelationInfo {
    columns = Collections.unmodifiableList(new ArrayList<>(columns));
    viewColumns = Map.copyOf(viewColumns);
    plainViewColumns = Set.copyOf(plainViewColumns);
  }

  public RelationInfo(
      int oid,
      TableRef name,
      char kind,
      List<String> columns,
      Map<String, OutputColumn> viewColumns) {
    this(oid, name, kind, columns, viewColumns, Set.of());
  }

  public boolean isView() {
    return kind == 'v' || kind == 'm';
  }

  /** The name of attribute {@code attnum}, or null. */
  public String column(int attnum) {
    return attnum >= 1 && attnum <= columns.size() ? columns.get(attnum - 1) : null;
  }

  public boolean hasColumn(String name) {
    return columns.contains(name);
  }
}
