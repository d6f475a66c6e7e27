package dev.gatehouse.engine.masking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Just enough of a lexer to read a COPY statement's target and options. */
final class CopyLexer {

  private final String sql;
  private int pos;

  CopyLexer(String sql) {
    this.sql = sql.strip().replaceAll(";\\s*$", "");
  }

  private void skipSpace() {
    while (pos < sql.length()) {
      if (Character.isWhitespace(sql.charAt(pos))) {
        pos++;
      } else if (sql.startsWith("--", pos)) {
        int nl = sql.indexOf('\n', pos);
        pos = nl < 0 ? sql.length() : nl + 1;
      } else if (sql.startsWith("/*", pos)) {
        int end = sql.indexOf("*/", pos + 2);
        pos = end < 0 ? sql.length() : end + 2;
      } else {
        return;
      }
    }
  }

  char peek() {
    skipSpace();
    return pos < sql.length() ? sql.charAt(pos) : 0;
  }

  boolean keyword(String word) {
    skipSpace();
    int end = pos + word.length();
    if (sql.regionMatches(true, pos, word, 0, word.length())
        && (end == sql.length()
            || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_')) {
      pos = end;
      return true;
    }
    return false;
  }

  /** A possibly qualified, possibly quoted name, as written. */
  String name() {
    skipSpace();
    int start = pos;
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (c == '"') {
        int close = sql.indexOf('"', pos + 1);
        while (close > 0 && close + 1 < sql.length() && sql.charAt(close + 1) == '"') {
          close = sql.indexOf('"', close + 2);
        }
        if (close < 0) {
          throw new IllegalArgumentException("unterminated quoted name in copy statement");
        }
        pos = close + 1;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$') {
        pos++;
      } else {
        break;
      }
    }
    if (start == pos) {
      throw new IllegalArgumentException("copy statement lacks a table or query");
    }
    return sql.substring(start, pos);
  }

  /** The text inside balanced parentheses (quotes and dollar quotes respected). */
  String parenthesized() {
    skipSpace();
    int start = ++pos;
    int depth = 1;
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (c == '\'' || c == '"') {
        int close = sql.indexOf(c, pos + 1);
        while (close > 0 && close + 1 < sql.length() && sql.charAt(close + 1) == c) {
          close = sql.indexOf(c, close + 2);
        }
        if (close < 0) {
          break;
        }
        pos = close + 1;
        continue;
      }
      if (c == '$') {
        int tagEnd = sql.indexOf('$', pos + 1);
        String tag = tagEnd < 0 ? null : sql.substring(pos, tagEnd + 1);
        if (tag != null && tag.matches("\\$[A-Za-z_0-9]*\\$")) {
          int close = sql.indexOf(tag, tagEnd + 1);
          if (close < 0) {
            break;
          }
          pos = close + tag.length();
          continue;
        }
      }
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return sql.substring(start, pos++).strip();
      }
      pos++;
    }
    throw new IllegalArgumentException("unbalanced parentheses in copy statement");
  }

  /** {@code (name value, ...)} options. */
  List<String[]> optionList() {
    String inner = parenthesized();
    List<String[]> out = new ArrayList<>();
    for (String item : splitTopLevel(inner)) {
      CopyLexer lx = new CopyLexer(item);
      String name = lx.name().toLowerCase(Locale.ROOT);
      String value = lx.rest();
      out.add(value.isEmpty() ? new String[] {name} : new String[] {name, value});
    }
    return out;
  }

  /** Pre-9.0 options: words after the target ({@code CSV HEADER DELIMITER ','}). */
  List<String[]> legacyOptions() {
    List<String> words = new ArrayList<>();
    while (peek() != 0) {
      words.add(peek() == '\'' ? literal() : name());
    }
    return CopyCommand.pairs(words);
  }

  private String rest() {
    skipSpace();
    if (peek() == '\'') {
      return literal();
    }
    return sql.substring(pos).strip();
  }

  private String literal() {
    skipSpace();
    StringBuilder out = new StringBuilder();
    pos++;
    while (pos < sql.length()) {
      char c = sql.charAt(pos++);
      if (c == '\'') {
        if (pos < sql.length() && sql.charAt(pos) == '\'') {
          out.append('\'');
          pos++;
        } else {
          return out.toString();
        }
      } else {
        out.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated string in copy statement");
  }

  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }
}
