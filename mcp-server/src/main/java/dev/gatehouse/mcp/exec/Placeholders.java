package dev.gatehouse.mcp.exec;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites PostgreSQL's {@code $1, $2, ...} parameters to the JDBC {@code ?} markers pgjdbc binds,
 * leaving quoted text, identifiers, dollar-quoted bodies and comments alone. A literal {@code ?} (a
 * jsonb operator) becomes {@code ??}, pgjdbc's escape for it.
 *
 * <p>The text is read by the policy engine's lexer, the one the analysis read it with, so the
 * parameters bound are the ones the analysis, the approver and the audit saw. A scanner of its own
 * took {@code ELSE'\'} for an escape string (the {@code E} ends a key word; it starts no string),
 * hid the {@code $1} after it, and bound the second parameter's value in its place (red-team round
 * 60: an approval made for {@code [P1, P2]} ran with {@code P2} for {@code $1}).
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

  /**
   * Rewrites {@code sql}; never throws. A text the lexer cannot read (an unterminated quote,
   * comment or dollar quote) is left as it is, with no parameter: the analysis refused it already,
   * and PostgreSQL refuses it too.
   */
  public static Placeholders rewrite(String sql) {
    List<Token> tokens;
    try {
      tokens = Lexer.tokenize(sql);
    } catch (LexException e) {
      return new Placeholders(sql, List.of());
    }
    StringBuilder out = new StringBuilder(sql.length() + 8);
    List<Integer> order = new ArrayList<>();
    int copied = 0;
    for (Token t : tokens) {
      if (t.type() == TokenType.PARAM) {
        out.append(sql, copied, t.start()).append('?');
        order.add(Integer.parseInt(sql.substring(t.start() + 1, t.end())));
        copied = t.end();
      } else if (t.type() == TokenType.OPERATOR
          && sql.substring(t.start(), t.end()).indexOf('?') >= 0) {
        out.append(sql, copied, t.start());
        out.append(sql.substring(t.start(), t.end()).replace("?", "??"));
        copied = t.end();
      }
    }
    out.append(sql, copied, sql.length());
    return new Placeholders(out.toString(), order);
  }
}
