package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code COPY ... TO STDOUT} statement as masking needs it: the query whose rows it sends (to
 * describe for the plan and to analyse for lineage) and the data format. Statements that are not
 * {@code COPY ... TO STDOUT} give a clear error. It reads the statement with the analyser's lexer,
 * so strings ({@code E'\t'}, dollar quotes), quoted names and comments mean what PostgreSQL reads.
 *
 * @param query {@code TABLE t}, {@code SELECT cols FROM t}, or the parenthesized query
 * @see <a href="https://www.postgresql.org/docs/current/sql-copy.html">COPY</a>
 */
public record CopyCommand(String query, CopyFormat format) {

  /** Options that change only COPY FROM or only which values are quoted: not how rows split. */
  private static final Set<String> LAYOUT_NEUTRAL =
      Set.of("force_quote", "force_not_null", "force_null", "freeze", "on_error", "default");

  /** Parses {@code sql}; throws {@link IllegalArgumentException} for anything else. */
  public static CopyCommand parse(String sql) {
    List<Token> t;
    try {
      t = new ArrayList<>(Lexer.tokenize(sql));
    } catch (LexException e) {
      throw new IllegalArgumentException(
          "copy statement cannot be read: `" + abbreviate(sql) + "`");
    }
    while (!t.isEmpty() && t.getLast().isPunct(";")) {
      t.removeLast();
    }
    if (t.isEmpty() || !t.getFirst().isWord("copy") || t.size() < 2) {
      throw new IllegalArgumentException("not a copy statement: `" + abbreviate(sql) + "`");
    }
    String query;
    int i;
    if (t.get(1).isPunct("(")) {
      int close = closing(t, 1);
      query = text(sql, t, 2, close - 1);
      i = close + 1;
    } else {
      i = 1;
      while (i < t.size()
          && (t.get(i).isIdentifier() || t.get(i).isPunct("."))
          && !(t.get(i).isWord("to") || t.get(i).isWord("from"))) {
        i++;
      }
      if (i == 1) {
        throw new IllegalArgumentException("copy statement lacks a table or query");
      }
      String table = text(sql, t, 1, i - 1);
      query = "TABLE " + table;
      if (i < t.size() && t.get(i).isPunct("(")) {
        int close = closing(t, i);
        query = "SELECT " + text(sql, t, i + 1, close - 1) + " FROM " + table;
        i = close + 1;
      }
    }
    if (i + 1 >= t.size() || !t.get(i).isWord("to") || !t.get(i + 1).isWord("stdout")) {
      throw new IllegalArgumentException(
          "only copy ... to stdout can be masked: `" + abbreviate(sql) + "`");
    }
    i += 2;
    if (i < t.size() && t.get(i).isWord("with")) {
      i++;
    }
    List<String[]> options =
        i < t.size() && t.get(i).isPunct("(") ? optionList(t, i, sql) : legacyOptions(t, i);
    return new CopyCommand(query, format(options, sql));
  }

  private static CopyFormat format(List<String[]> options, String sql) {
    CopyFormat.Kind kind = CopyFormat.Kind.TEXT;
    Character delimiter = null;
    String nullString = null;
    char quote = '"';
    Character escape = null;
    boolean header = false;
    for (String[] o : options) {
      String value = o.length > 1 ? o[1] : null;
      switch (o[0]) {
        case "format" -> kind = kind(require(value, o[0], sql), sql);
        case "csv" -> kind = CopyFormat.Kind.CSV;
        case "binary" -> kind = CopyFormat.Kind.BINARY;
        case "text" -> kind = CopyFormat.Kind.TEXT;
        case "delimiter" -> delimiter = single(require(value, o[0], sql), o[0], sql);
        case "null" -> nullString = value == null ? "" : value;
        case "header" -> header = value == null || truth(value);
        case "quote" -> quote = single(require(value, o[0], sql), o[0], sql);
        case "escape" -> escape = single(require(value, o[0], sql), o[0], sql);
        case "encoding" -> {
          String e = require(value, o[0], sql).replace("-", "").replace("_", "");
          if (!e.equalsIgnoreCase("utf8") && !e.equalsIgnoreCase("unicode")) {
            throw new IllegalArgumentException(
                "copy data with masked columns can be sent in encoding utf8 only, not `"
                    + value
                    + "`");
          }
        }
        default -> {
          if (!LAYOUT_NEUTRAL.contains(o[0])) {
            throw new IllegalArgumentException(
                "copy option `" + o[0] + "` cannot be masked: `" + abbreviate(sql) + "`");
          }
        }
      }
    }
    CopyFormat base =
        switch (kind) {
          case TEXT -> CopyFormat.text();
          case CSV -> CopyFormat.csv();
          case BINARY -> CopyFormat.binary();
        };
    return new CopyFormat(
        kind,
        delimiter == null ? base.delimiter() : delimiter,
        nullString == null ? base.nullString() : nullString,
        quote,
        escape == null ? quote : escape,
        header);
  }

  private static CopyFormat.Kind kind(String value, String sql) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "text" -> CopyFormat.Kind.TEXT;
      case "csv" -> CopyFormat.Kind.CSV;
      case "binary" -> CopyFormat.Kind.BINARY;
      default ->
          throw new IllegalArgumentException(
              "copy format `" + value + "` is not text, csv or binary: `" + abbreviate(sql) + "`");
    };
  }

  private static boolean truth(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "false", "off", "0", "no" -> false;
      default -> true; // true, on, 1, match (MATCH is for COPY FROM)
    };
  }

  /** {@code (name [value], ...)}: a value is a word, string, number, {@code *} or a name list. */
  private static List<String[]> optionList(List<Token> t, int open, String sql) {
    int close = closing(t, open);
    List<String[]> out = new ArrayList<>();
    int i = open + 1;
    while (i < close) {
      String name = t.get(i).value().toLowerCase(Locale.ROOT);
      int end = i + 1;
      int depth = 0;
      while (end < close && (depth > 0 || !t.get(end).isPunct(","))) {
        depth += t.get(end).isPunct("(") ? 1 : t.get(end).isPunct(")") ? -1 : 0;
        end++;
      }
      out.add(end == i + 1 ? new String[] {name} : new String[] {name, value(t, i + 1, end, sql)});
      i = end + 1;
    }
    if (close + 1 < t.size()) {
      throw new IllegalArgumentException(
          "unexpected text after copy options: `" + abbreviate(sql) + "`");
    }
    return out;
  }

  private static String value(List<Token> t, int from, int to, String sql) {
    Token first = t.get(from);
    if (to - from == 1
        && (first.type() == TokenType.STRING
            || first.type() == TokenType.WORD
            || first.type() == TokenType.QUOTED_IDENT
            || first.type() == TokenType.NUMBER)) {
      return first.value();
    }
    return text(sql, t, from, to - 1); // `*` or a column list (FORCE_QUOTE): kept as written
  }

  /** Pre-9.0 options: {@code BINARY CSV HEADER DELIMITER [AS] ',' FORCE QUOTE a, b}. */
  private static List<String[]> legacyOptions(List<Token> t, int i) {
    List<String[]> out = new ArrayList<>();
    while (i < t.size()) {
      String w = t.get(i).value().toLowerCase(Locale.ROOT);
      i++;
      switch (w) {
        case "delimiter", "null", "quote", "escape", "encoding" -> {
          if (i < t.size() && t.get(i).isWord("as")) {
            i++;
          }
          if (i >= t.size()) {
            throw new IllegalArgumentException("copy option `" + w + "` needs a value");
          }
          out.add(new String[] {w, t.get(i++).value()});
        }
        case "force" -> {
          StringBuilder name = new StringBuilder("force");
          while (i < t.size() && (t.get(i).isWord("quote") || t.get(i).isWord("not"))) {
            name.append('_').append(t.get(i++).value());
            if (name.toString().equals("force_not") && i < t.size() && t.get(i).isWord("null")) {
              name.append('_').append(t.get(i++).value());
            }
          }
          // the column list (or `*`) that follows is a list of names and commas
          while (i < t.size()
              && (t.get(i).isIdentifier()
                  || t.get(i).isPunct(",")
                  || t.get(i).isPunct(".")
                  || t.get(i).value().equals("*"))
              && !isLegacyKeyword(t.get(i))) {
            i++;
          }
          out.add(new String[] {name.toString()});
        }
        default -> out.add(new String[] {w});
      }
    }
    return out;
  }

  private static boolean isLegacyKeyword(Token token) {
    return Set.of("binary", "csv", "header", "delimiter", "null", "quote", "escape", "force")
        .contains(token.value());
  }

  private static String require(String value, String option, String sql) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "copy option `" + option + "` needs a value: `" + abbreviate(sql) + "`");
    }
    return value;
  }

  private static char single(String value, String option, String sql) {
    if (value.length() != 1) {
      throw new IllegalArgumentException(
          "copy option `" + option + "` must be a single character: `" + abbreviate(sql) + "`");
    }
    return value.charAt(0);
  }

  /** The index of the parenthesis closing the one at {@code open}. */
  private static int closing(List<Token> t, int open) {
    int depth = 0;
    for (int i = open; i < t.size(); i++) {
      if (t.get(i).isPunct("(")) {
        depth++;
      } else if (t.get(i).isPunct(")") && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses in copy statement");
  }

  /** The statement's own text from token {@code from} to token {@code to}, both included. */
  private static String text(String sql, List<Token> t, int from, int to) {
    if (to < from) {
      throw new IllegalArgumentException("copy statement lacks a table or query");
    }
    return sql.substring(t.get(from).start(), t.get(to).end()).strip();
  }

  static String abbreviate(String sql) {
    String s = sql.strip().replaceAll("\\s+", " ");
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
