package dev.gatehouse.mcp.exec;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * The text pgjdbc is given for a statement the policy engine analysed: rebuilt from the engine's
 * own tokens, so that pgjdbc, which parses it again (for its {@code ?} markers, its JDBC escapes
 * {@code {fn …}}, its statement splitting), reads the statement PostgreSQL and the analysis read.
 * Comments are dropped; every string constant is written as a standard {@code '…'} string of its
 * value (escape, Unicode, dollar-quoted and continued strings included; bit strings as they were
 * written, a national one with its N); quoted identifiers are written with their value. For a
 * prepared statement, {@code $1, $2, ...} become {@code ?} markers and a literal {@code ?} (a jsonb
 * operator) {@code ??}, pgjdbc's escape for it.
 *
 * <p>The original text went to pgjdbc before, and pgjdbc reads some of it otherwise: it took {@code
 * ELSE'\'} for an escape string (red-team round 60: the {@code $1} after it was bound to the second
 * value); it ends a comment at {@code /*}{@code /} and then rewrote a JDBC escape the analysis had
 * seen as comment text into SQL that read three SSNs, or updated 150 rows past a bound of 100; it
 * read an escape string continued on the next line as a plain one (round 61).
 *
 * @param sql the text for pgjdbc
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

  /**
   * The text of {@code sql} for a prepared statement, with {@code ?} markers.
   *
   * @throws IllegalArgumentException when the text cannot be read (the analysis refused it)
   */
  public static Placeholders rewrite(String sql) {
    return rebuild(sql, true);
  }

  /**
   * The text of {@code sql} for a plain statement: {@code $n} and {@code ?} stay as they are.
   *
   * @throws IllegalArgumentException when the text cannot be read (the analysis refused it)
   */
  public static String plain(String sql) {
    return rebuild(sql, false).sql();
  }

  private static Placeholders rebuild(String sql, boolean prepared) {
    List<Token> tokens;
    try {
      tokens = Lexer.tokenize(sql);
    } catch (LexException e) {
      throw new IllegalArgumentException("the statement cannot be read: " + e.getMessage(), e);
    }
    // The layout is kept (comments become spaces, line breaks stay, a string written shorter is
    // padded), so that an error's position still points into the text the caller sent.
    StringBuilder out = new StringBuilder(sql.length() + 8);
    List<Integer> order = new ArrayList<>();
    int copied = 0;
    for (Token t : tokens) {
      blank(sql, copied, t.start(), out);
      String source = sql.substring(t.start(), t.end());
      int at = out.length();
      switch (t.type()) {
        case PARAM -> {
          if (prepared) {
            out.append('?');
            order.add(Integer.parseInt(source.substring(1)));
          } else {
            out.append(source);
          }
        }
        case STRING -> {
          char first = Character.toLowerCase(source.charAt(0));
          if ((first == 'b' || first == 'x') && source.length() > 1 && source.charAt(1) == '\'') {
            out.append(source); // digits only: read alike by everyone
          } else {
            if (first == 'n' && source.length() > 1 && source.charAt(1) == '\'') {
              out.append('N'); // a national character constant is of type char (red-team round 62)
            }
            out.append('\'').append(t.value().replace("'", "''")).append('\'');
          }
        }
        case QUOTED_IDENT -> out.append('"').append(t.value().replace("\"", "\"\"")).append('"');
        case OPERATOR -> out.append(prepared ? source.replace("?", "??") : source);
        default -> {
          if (source.indexOf('{') >= 0 || source.indexOf('}') >= 0) {
            throw new IllegalArgumentException("the statement holds a brace outside a string");
          }
          out.append(source);
        }
      }
      // pgjdbc writes ? back as $n and ?? as ?: only a string or a name can be written shorter
      while ((t.type() == TokenType.STRING || t.type() == TokenType.QUOTED_IDENT)
          && out.length() - at < source.length()) {
        out.append(' ');
      }
      copied = t.end();
    }
    blank(sql, copied, sql.length(), out);
    return new Placeholders(out.toString(), order);
  }

  /** What lies between tokens (space and comments), with every comment character a space. */
  private static void blank(String sql, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = sql.charAt(i);
      out.append(c == '\n' || c == '\r' || c == '\t' ? c : ' ');
    }
  }
}
