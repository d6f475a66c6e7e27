package dev.gatehouse.mcp.tools;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Where in the statement PostgreSQL found the error: its ErrorResponse position (a 1-based
 * character index) as line and column, with the token there, so a model can fix the right spot.
 */
final class ErrorPosition {

  private static final int MAX_TOKEN = 40;

  private ErrorPosition() {}

  /** {@code " (at line L, column C, near `token`)"}, or empty when PostgreSQL gave no position. */
  static String of(SQLException e, String sql) {
    if (!(e instanceof PSQLException p)) {
      return "";
    }
    ServerErrorMessage server = p.getServerErrorMessage();
    return server == null ? "" : at(sql, server.getPosition());
  }

  static String at(String sql, int position) {
    if (position < 1 || position > sql.length() + 1) {
      return "";
    }
    int index =
        sql.offsetByCodePoints(0, Math.min(position - 1, sql.codePointCount(0, sql.length())));
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = sql.codePointCount(lineStart, index) + 1;
    String token = token(sql, index);
    return " (at line "
        + line
        + ", column "
        + column
        + (token.isEmpty() ? ", at the end of the statement" : ", near `" + token + "`")
        + ")";
  }

  private static String token(String sql, int index) {
    if (index >= sql.length()) {
      return "";
    }
    int end = index;
    if (Character.isLetterOrDigit(sql.charAt(index)) || sql.charAt(index) == '_') {
      while (end < sql.length()
          && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
        end++;
      }
    } else {
      end = sql.offsetByCodePoints(index, 1);
    }
    String token = sql.substring(index, Math.min(end, index + MAX_TOKEN));
    // The token is the caller's own text, but it is shown on one line, like every cell.
    return UntrustedData.escape(token);
  }
}
