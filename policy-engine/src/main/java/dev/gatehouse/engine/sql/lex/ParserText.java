package dev.gatehouse.engine.sql.lex;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of a statement as JSqlParser is given it: rebuilt from tokens with normalizations that
 * cannot change meaning, so that the parser never sees a PostgreSQL quoting form it mishandles.
 *
 * <ul>
 *   <li>every string constant becomes a placeholder {@code 'sN'}; equal values share N, so {@code
 *       'a' = 'a'} stays recognizably equal, and {@link #literal} gives the value back
 *   <li>{@code U&""} identifiers are written decoded, as plain quoted identifiers
 *   <li>{@code OPERATOR(pg_catalog.~)} (as psql sends it) becomes {@code ~}; an operator of any
 *       other schema is left alone, so the parser refuses it
 *   <li>{@code TABLE name} as a query becomes {@code SELECT * FROM name}
 *   <li>numbers lose {@code _} separators, and hexadecimal, octal or binary integers are written in
 *       decimal
 *   <li>a word holding a character outside ASCII is written as the quoted name PostgreSQL reads it
 *       as (its key words are ASCII)
 *   <li>comments become a space
 * </ul>
 */
public final class ParserText {

  private final String text;
  private final List<String> literals;

  private ParserText(String text, List<String> literals) {
    this.text = text;
    this.literals = literals;
  }

  public String text() {
    return text;
  }

  /** The value of placeholder {@code sN}, or null when {@code placeholder} is not one. */
  public String literal(String placeholder) {
    if (placeholder == null || placeholder.length() < 2 || placeholder.charAt(0) != 's') {
      return null;
    }
    try {
      int index = Integer.parseInt(placeholder.substring(1));
      return index < literals.size() ? literals.get(index) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public static ParserText of(LexedStatement statement) {
    return of(statement.tokens());
  }

  public static ParserText of(List<Token> tokens) {
    Map<String, Integer> index = new LinkedHashMap<>();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      int skip = operatorForm(tokens, i);
      if (skip > 0) {
        out.append(' ').append(tokens.get(i + skip - 2).value()).append(' ');
        i += skip - 1;
        continue;
      }
      if (t.spaceBefore() && !out.isEmpty()) {
        out.append(' ');
      }
      switch (t.type()) {
        case STRING -> {
          int n = index.computeIfAbsent(t.value(), v -> index.size());
          out.append(" 's").append(n).append("' ");
        }
        case QUOTED_IDENT -> out.append('"').append(t.value().replace("\"", "\"\"")).append('"');
        case NUMBER -> out.append(number(t.value()));
        case WORD -> {
          if (t.value().equals("table") && startsQuery(tokens, i)) {
            out.append(" SELECT * FROM ");
          } else if (!ascii(t.value())) {
            // PostgreSQL's key words are ASCII: a word with any other character is a name, even
            // one the parser would take for space (U+3000 before SELECT: red-team round 39).
            out.append('"').append(t.value().replace("\"", "\"\"")).append('"');
          } else {
            out.append(t.value());
          }
        }
        default -> out.append(t.value());
      }
    }
    return new ParserText(out.toString().strip(), new ArrayList<>(index.keySet()));
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The length of an {@code OPERATOR(pg_catalog.op)} or {@code OPERATOR(op)} form at i, or 0. */
  private static int operatorForm(List<Token> tokens, int i) {
    if (!tokens.get(i).isWord("operator") || i + 3 >= tokens.size()) {
      return 0;
    }
    if (!tokens.get(i + 1).isPunct("(")) {
      return 0;
    }
    int k = i + 2;
    if (tokens.get(k).isWord("pg_catalog")
        && k + 1 < tokens.size()
        && tokens.get(k + 1).isPunct(".")) {
      k += 2;
    }
    if (k + 1 < tokens.size()
        && tokens.get(k).type() == TokenType.OPERATOR
        && tokens.get(k + 1).isPunct(")")) {
      return k + 2 - i;
    }
    return 0;
  }

  /** {@code TABLE} as a query: at the start, after {@code (}, or after a set operator. */
  private static boolean startsQuery(List<Token> tokens, int i) {
    if (i + 1 >= tokens.size() || !tokens.get(i + 1).isIdentifier()) {
      return false;
    }
    if (i == 0) {
      return true;
    }
    Token prev = tokens.get(i - 1);
    return prev.isPunct("(")
        || prev.isWord("union")
        || prev.isWord("intersect")
        || prev.isWord("except")
        || prev.isWord("all")
        || prev.isWord("distinct");
  }

  private static String number(String text) {
    String plain = text.replace("_", "");
    if (plain.length() > 2 && plain.charAt(0) == '0') {
      int radix =
          switch (Character.toLowerCase(plain.charAt(1))) {
            case 'x' -> 16;
            case 'o' -> 8;
            case 'b' -> 2;
            default -> 0;
          };
      if (radix != 0) {
        try {
          return new BigInteger(plain.substring(2), radix).toString();
        } catch (NumberFormatException e) {
          return plain;
        }
      }
    }
    return plain;
  }
}
