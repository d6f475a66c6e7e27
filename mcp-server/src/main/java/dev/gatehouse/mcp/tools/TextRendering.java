package dev.gatehouse.mcp.tools;

import dev.gatehouse.mcp.exec.QueryResult;
import java.util.List;

/**
 * Renders a result as the plain text a model reads beside the structured content: the rows (and the
 * column names, which a query can choose) escaped and inside an untrusted-data boundary; the
 * gateway's own summary outside it.
 */
final class TextRendering {

  private static final int MAX_TEXT_ROWS = 200;

  private TextRendering() {}

  /** Several statements' results, each under its number and kind, then the gateway's note. */
  static String statements(
      List<QueryResult> results,
      List<String> kinds,
      String truncation,
      UntrustedData.Boundaries boundaries) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < results.size(); i++) {
      out.append(i == 0 ? "" : "\n\n")
          .append("Statement ")
          .append(i + 1)
          .append(" of ")
          .append(results.size())
          .append(" (")
          .append(kinds.get(i))
          .append("):\n")
          .append(table(results.get(i), kinds.get(i), null, boundaries));
    }
    if (truncation != null) {
      out.append("\n(truncated: ").append(truncation).append(')');
    }
    return out.toString();
  }

  /** The rendering; {@code truncation} says what cut the result, null when nothing did. */
  static String table(QueryResult r, String statementKind, String truncation) {
    return table(r, statementKind, truncation, new UntrustedData.Boundaries());
  }

  /** The rendering, with the boundary it draws recorded in {@code boundaries}. */
  static String table(
      QueryResult r, String statementKind, String truncation, UntrustedData.Boundaries boundaries) {
    StringBuilder out = new StringBuilder();
    if (r.columns().isEmpty()) {
      out.append(statementKind).append(": ").append(r.rowCount()).append(" row(s) affected");
      return out.toString();
    }
    List<QueryResult.Column> cols = r.columns();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      body.append(i == 0 ? "" : " | ").append(UntrustedData.escape(cols.get(i).name()));
      if (cols.get(i).masked()) {
        body.append(" (masked)");
      }
    }
    body.append('\n');
    int shown = 0;
    for (List<String> row : r.rows()) {
      if (shown++ == MAX_TEXT_ROWS) {
        break;
      }
      for (int i = 0; i < row.size(); i++) {
        body.append(i == 0 ? "" : " | ")
            .append(row.get(i) == null ? "NULL" : UntrustedData.escape(row.get(i)));
      }
      body.append('\n');
    }
    out.append(boundaries.wrap("rows", body.toString())).append('\n');
    if (r.rows().size() > MAX_TEXT_ROWS) {
      out.append("(the text shows the first ")
          .append(MAX_TEXT_ROWS)
          .append(" rows; the structured content has all of them)\n");
    }
    out.append('(').append(r.rowCount()).append(" row").append(r.rowCount() == 1 ? "" : "s");
    if (truncation != null) {
      out.append("; truncated: ").append(truncation);
    }
    out.append(')');
    return out.toString();
  }
}
