package dev.gatehouse.gateway.console;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.List;
import java.util.Set;

/**
 * SQL as HTML, formatted (a line break before each major clause and after each {@code ;}) and
 * highlighted with classes for keywords, strings, numbers, comments and parameters. Only whitespace
 * is added: every character of the statement is shown, escaped, in order.
 *
 * <p>It reads the text with the policy engine's own lexer, the one whose tokens the analysis and
 * the approval are about, so what is drawn as a comment or a string is what PostgreSQL reads as
 * one: dollar quotes with tags, nested comments, {@code E''} escapes, a {@code --} comment ended by
 * a carriage return (red-team round 38: a hand-written lexer drew a running {@code DROP} as a
 * comment). Text that lexer refuses is drawn plain, with nothing highlighted.
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
    List<Token> tokens;
    try {
      tokens = Lexer.tokenize(sql);
    } catch (LexException e) {
      // What the gateway cannot lex it does not run; drawn plain, nothing is made to look inert.
      return Html.esc(sql);
    }
    StringBuilder out = new StringBuilder(sql.length() * 2);
    int at = 0;
    boolean afterSemicolon = false;
    for (Token t : tokens) {
      String gap = sql.substring(at, t.start());
      gap(out, gap);
      boolean lineStart = out.isEmpty() || out.charAt(out.length() - 1) == '\n';
      if (afterSemicolon && !lineStart) {
        // Each statement of a message starts a line, so none hides at the end of another.
        trimTrailingSpace(out);
        out.append('\n');
      } else if (t.type() == TokenType.WORD && BREAK_BEFORE.contains(t.value()) && !lineStart) {
        trimTrailingSpace(out);
        out.append('\n');
      }
      String text = sql.substring(t.start(), t.end());
      switch (t.type()) {
        case STRING -> span(out, "s", text);
        case QUOTED_IDENT -> span(out, "i", text);
        case NUMBER -> span(out, "n", text);
        case PARAM -> span(out, "p", text);
        case WORD -> {
          if (KEYWORDS.contains(t.value())) {
            span(out, "k", text);
          } else {
            out.append(Html.esc(text));
          }
        }
        default -> out.append(Html.esc(text));
      }
      afterSemicolon = t.isPunct(";");
      at = t.end();
    }
    gap(out, sql.substring(at));
    return out.toString();
  }

  /**
   * What lies between two tokens is whitespace and comments only, as the gateway's lexer (the one
   * its analysis reads) found them: the comments are drawn as one, the whitespace around them as
   * is.
   */
  private static void gap(StringBuilder out, String gap) {
    int first = 0;
    while (first < gap.length() && Character.isWhitespace(gap.charAt(first))) {
      first++;
    }
    if (first == gap.length()) {
      out.append(Html.esc(gap));
      return;
    }
    int last = gap.length();
    while (Character.isWhitespace(gap.charAt(last - 1))) {
      last--;
    }
    out.append(Html.esc(gap.substring(0, first)));
    span(out, "c", gap.substring(first, last));
    out.append(Html.esc(gap.substring(last)));
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
