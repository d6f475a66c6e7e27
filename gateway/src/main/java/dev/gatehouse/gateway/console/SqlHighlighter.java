package dev.gatehouse.gateway.console;

import java.util.Locale;
import java.util.Set;

/**
 * SQL as HTML, formatted (a line break before each major clause) and highlighted with classes for
 * keywords, strings, numbers, comments and parameters. Only whitespace is added: every character of
 * the statement is shown, escaped, in order.
 */
final class SqlHighlighter {

  private static final Set<String> KEYWORDS =
      Set.of(
          "select",
          "from",
          "where",
          "and",
          "or",
          "not",
          "in",
          "is",
          "null",
          "as",
          "join",
          "left",
          "right",
          "inner",
          "outer",
          "full",
          "cross",
          "on",
          "group",
          "by",
          "order",
          "having",
          "limit",
          "offset",
          "insert",
          "into",
          "values",
          "update",
          "set",
          "delete",
          "returning",
          "with",
          "union",
          "all",
          "distinct",
          "case",
          "when",
          "then",
          "else",
          "end",
          "create",
          "drop",
          "alter",
          "table",
          "truncate",
          "index",
          "view",
          "begin",
          "commit",
          "rollback",
          "grant",
          "revoke",
          "like",
          "ilike",
          "between",
          "exists",
          "true",
          "false",
          "asc",
          "desc",
          "cascade",
          "if",
          "copy",
          "to",
          "explain",
          "analyze",
          "for",
          "using",
          "lateral");

  private static final Set<String> BREAK_BEFORE =
      Set.of(
          "from",
          "where",
          "group",
          "order",
          "having",
          "limit",
          "offset",
          "join",
          "left",
          "right",
          "inner",
          "full",
          "cross",
          "union",
          "values",
          "set",
          "returning");

  private SqlHighlighter() {}

  static String html(String sql) {
    if (sql == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(sql.length() * 2);
    int i = 0;
    int n = sql.length();
    boolean lineStart = true;
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        span(out, "c", sql.substring(i, end));
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        span(out, "c", sql.substring(i, end));
      } else if (c == '\'' || c == '"') {
        end = quoted(sql, i, c);
        span(out, c == '\'' ? "s" : "i", sql.substring(i, end));
      } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
        end = i + 1;
        while (end < n && Character.isDigit(sql.charAt(end))) {
          end++;
        }
        span(out, "p", sql.substring(i, end));
      } else if (Character.isDigit(c)) {
        end = i;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
          end++;
        }
        span(out, "n", sql.substring(i, end));
      } else if (Character.isLetter(c) || c == '_') {
        end = i;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        String word = sql.substring(i, end);
        String lower = word.toLowerCase(Locale.ROOT);
        if (BREAK_BEFORE.contains(lower) && !lineStart) {
          trimTrailingSpace(out);
          out.append('\n');
        }
        if (KEYWORDS.contains(lower)) {
          span(out, "k", word);
        } else {
          out.append(Html.esc(word));
        }
      } else {
        end = i + 1;
        out.append(Html.esc(String.valueOf(c)));
      }
      lineStart = c == '\n' || (lineStart && Character.isWhitespace(c));
      i = end;
    }
    return out.toString();
  }

  private static int quoted(String sql, int start, char q) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == q) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static void trimTrailingSpace(StringBuilder out) {
    while (!out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
      out.setLength(out.length() - 1);
    }
  }

  private static void span(StringBuilder out, String cls, String text) {
    out.append("<span class=\"sql-").append(cls).append("\">").append(Html.esc(text));
    out.append("</span>");
  }
}
