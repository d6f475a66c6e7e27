package dev.gatehouse.wire.it;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The pgjdbc {@link DatabaseMetaData} calls a database IDE makes on the `app` schema's tables. */
final class IdeMetadata {

  static final List<String> CALLS =
      List.of(
          "getSchemas",
          "getTables",
          "getColumns",
          "getPrimaryKeys",
          "getIndexInfo",
          "getBestRowIdentifier",
          "getImportedKeys",
          "getExportedKeys",
          "getVersionColumns",
          "getTablePrivileges",
          "getTypeInfo");

  private IdeMetadata() {}

  /** Every row of the call's answer for `app.customers` / `app.orders`, cells joined. */
  static List<String> call(DatabaseMetaData meta, String call) throws SQLException {
    List<String> rows = new ArrayList<>();
    for (String table : List.of("customers", "orders")) {
      try (ResultSet rs = open(meta, call, table)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            row.append(rs.getString(i)).append('|');
          }
          rows.add(row.toString());
        }
      }
    }
    return rows;
  }

  private static ResultSet open(DatabaseMetaData meta, String call, String table)
      throws SQLException {
    return switch (call) {
      case "getSchemas" -> meta.getSchemas(null, "app");
      case "getTables" -> meta.getTables(null, "app", table, new String[] {"TABLE"});
      case "getColumns" -> meta.getColumns(null, "app", table, "%");
      case "getPrimaryKeys" -> meta.getPrimaryKeys(null, "app", table);
      case "getIndexInfo" -> meta.getIndexInfo(null, "app", table, false, true);
      case "getBestRowIdentifier" ->
          meta.getBestRowIdentifier(null, "app", table, DatabaseMetaData.bestRowSession, true);
      case "getImportedKeys" -> meta.getImportedKeys(null, "app", table);
      case "getExportedKeys" -> meta.getExportedKeys(null, "app", table);
      case "getVersionColumns" -> meta.getVersionColumns(null, "app", table);
      case "getTablePrivileges" -> meta.getTablePrivileges(null, "app", table);
      case "getTypeInfo" -> meta.getTypeInfo();
      default -> throw new IllegalArgumentException("no metadata call `" + call + "`");
    };
  }
}
