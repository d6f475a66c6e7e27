package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.CopySyntax.Malformed;
import dev.gatehouse.engine.sql.CopySyntax.Option;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The option list of a COPY statement, in either of the forms PostgreSQL accepts. */
final class CopyOptions {

  private static final Set<String> LEGACY_KEYWORDS =
      Set.of("binary", "csv", "header", "delimiter", "null", "quote", "escape", "force");

  private CopyOptions() {}

  /** {@code (name [value], ...)}: a value is a word, string, number, {@code *} or a name list. */
  static List<Option> list(CopySyntax copy, int open) {
    LexedStatement s = copy.statement();
    int close = CopySyntax.closing(s, open);
    if (close < 0) {
      throw new Malformed("unbalanced parentheses in copy statement");
    }
    List<Option> out = new ArrayList<>();
    int i = open + 1;
    while (i < close) {
      String name = s.at(i).value().toLowerCase(Locale.ROOT);
      int end = i + 1;
      int depth = 0;
      while (end < close && (depth > 0 || !s.at(end).isPunct(","))) {
        depth += s.at(end).isPunct("(") ? 1 : s.at(end).isPunct(")") ? -1 : 0;
        end++;
      }
      out.add(new Option(name, end == i + 1 ? null : value(copy, i + 1, end)));
      i = end + 1;
    }
    if (close + 1 < s.size()) {
      throw new Malformed(
          "unexpected text after copy options: `" + CopySyntax.abbreviate(s.text()) + "`");
    }
    return out;
  }

  private static String value(CopySyntax copy, int from, int to) {
    Token first = copy.statement().at(from);
    if (to - from == 1
        && (first.type() == TokenType.STRING
            || first.type() == TokenType.WORD
            || first.type() == TokenType.QUOTED_IDENT
            || first.type() == TokenType.NUMBER)) {
      return first.value();
    }
    return copy.text(from, to - 1); // `*` or a column list (FORCE_QUOTE): kept as written
  }

  /** Pre-9.0 options: {@code BINARY CSV HEADER DELIMITER [AS] ',' FORCE QUOTE a, b}. */
  static List<Option> legacy(LexedStatement s, int i) {
    List<Option> out = new ArrayList<>();
    while (i < s.size()) {
      String w = s.at(i).value().toLowerCase(Locale.ROOT);
      i++;
      switch (w) {
        case "delimiter", "null", "quote", "escape", "encoding" -> {
          if (s.at(i) != null && s.at(i).isWord("as")) {
            i++;
          }
          if (s.at(i) == null) {
            throw new Malformed("copy option `" + w + "` needs a value");
          }
          out.add(new Option(w, s.at(i++).value()));
        }
        case "force" -> {
          StringBuilder name = new StringBuilder("force");
          while (s.at(i) != null && (s.at(i).isWord("quote") || s.at(i).isWord("not"))) {
            name.append('_').append(s.at(i++).value());
            if (name.toString().equals("force_not") && s.at(i) != null && s.at(i).isWord("null")) {
              name.append('_').append(s.at(i++).value());
            }
          }
          // the column list (or `*`) that follows is a list of names and commas
          while (s.at(i) != null
              && (s.at(i).isIdentifier()
                  || s.at(i).isPunct(",")
                  || s.at(i).isPunct(".")
                  || s.at(i).value().equals("*"))
              && !LEGACY_KEYWORDS.contains(s.at(i).value())) {
            i++;
          }
          out.add(new Option(name.toString(), null));
        }
        default -> out.add(new Option(w, null));
      }
    }
    return out;
  }
}
