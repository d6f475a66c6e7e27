package dev.gatehouse.mcp.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites PostgreSQL's {@code $1, $2, ...} parameters to the JDBC {@code ?} markers pgjdbc binds,
 * leaving quoted text, identifiers, dollar-quoted bodies and comments alone. A literal {@code ?} (a
 * jsonb operator) becomes {@code ??}, pgjdbc's escape for it.
 *
 * @param sql the text for a JDBC prepared statement
 * @param order for each {@code ?} in {@code sql}, the 1-based number of the parameter it binds
 */
public record Placeholders(String sql, List<Integer> order) {

  public Placeholders {
    order = List.copyOf(order);
  }

  /** The highest parameter number used, or 0. */
  public int highest() {
    return order.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** Rewrites {@code sql}; never throws, unterminated constructs run to the end of the text. */
  public static Placeholders rewrite(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    List<Integer> order = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      if (c == '\'') {
        boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
        end = quoted(sql, i, '\'', escapes);
      } else if (c == '"') {
        end = quoted(sql, i, '"', false);
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        end = sql.indexOf('\n', i);
        end = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        end = blockComment(sql, i);
      } else if (c == '$' && !identifierPart(sql, i - 1)) {
        int digits = i + 1;
        while (digits < n && Character.isDigit(sql.charAt(digits))) {
          digits++;
        }
        if (digits > i + 1) {
          order.add(Integer.parseInt(sql.substring(i + 1, digits)));
          out.append('?');
          i = digits;
          continue;
        }
        end = dollarQuoted(sql, i);
      } else if (c == '?') {
        out.append("??");
        i++;
        continue;
      } else {
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return new Placeholders(out.toString(), order);
  }

  private static boolean identifierPart(String sql, int at) {
    if (at < 0) {
      return false;
    }
    char c = sql.charAt(at);
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static int quoted(String sql, int start, char quote, boolean backslashEscapes) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static int blockComment(String sql, int start) {
    int depth = 0;
    int i = start;
    while (i < sql.length() - 1) {
      if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
        depth++;
        i += 2;
      } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int dollarQuoted(String sql, int start) {
    int close = start + 1;
    while (close < sql.length()
        && (Character.isLetterOrDigit(sql.charAt(close)) || sql.charAt(close) == '_')) {
      close++;
    }
    if (close >= sql.length() || sql.charAt(close) != '$') {
      return start + 1;
    }
    String tag = sql.substring(start, close + 1);
    int end = sql.indexOf(tag, close + 1);
    return end < 0 ? sql.length() : end + tag.length();
  }
}
