package dev.gatehouse.mcp.tools;

import dev.gatehouse.mcp.exec.QueryResult;
import java.util.List;

/** Renders a result as the plain text a model reads beside the structured content. */
final class TextRendering {

  private static final int MAX_TEXT_ROWS = 200;

  private TextRendering() {}

  static String table(QueryResult r, String statementKind) {
    StringBuilder out = new StringBuilder();
    if (r.columns().isEmpty()) {
      out.append(statementKind).append(": ").append(r.rowCount()).append(" row(s) affected");
      return out.toString();
    }
    List<QueryResult.Column> cols = r.columns();
    for (int i = 0; i < cols.size(); i++) {
      out.append(i == 0 ? "" : " | ").append(cols.get(i).name());
      if (cols.get(i).masked()) {
        out.append(" (masked)");
      }
    }
    out.append('\n');
    int shown = 0;
    for (List<String> row : r.rows()) {
      if (shown++ == MAX_TEXT_ROWS) {
        out.append("... (see structured content for all rows)\n");
        break;
      }
      for (int i = 0; i < row.size(); i++) {
        out.append(i == 0 ? "" : " | ").append(row.get(i) == null ? "NULL" : row.get(i));
      }
      out.append('\n');
    }
    out.append('(').append(r.rowCount()).append(" row").append(r.rowCount() == 1 ? "" : "s");
    if (r.truncated()) {
      out.append(", truncated: raise max_rows or narrow the query");
    }
    out.append(')');
    return out.toString();
  }
}
