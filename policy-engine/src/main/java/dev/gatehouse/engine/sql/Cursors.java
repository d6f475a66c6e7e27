package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;

/**
 * SQL cursors as a front end tracks them: the name and query of a DECLARE, the cursor a FETCH or
 * MOVE reads, the cursor a CLOSE closes. A FETCH from a cursor the session declared is analysed as
 * the declared query (its tables, lineage and masking), through {@link AnalysisContext#cursors}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/sql-declare.html">DECLARE</a>
 * @see <a href="https://www.postgresql.org/docs/current/sql-fetch.html">FETCH</a>
 */
public final class Cursors {

  /** CLOSE ALL. */
  public static final String ALL = "*";

  /**
   * A declared cursor.
   *
   * @param name as PostgreSQL resolves it (folded unless quoted)
   * @param hold WITH HOLD: it outlives its transaction
   * @param query the query after FOR, as written
   */
  public record Declared(String name, boolean hold, String query) {}

  private Cursors() {}

  /**
   * The context for the statement after {@code sql} in the same message: with the cursor it
   * declares, without the one it closes (all of them for CLOSE ALL), else {@code context} itself.
   */
  public static AnalysisContext after(AnalysisContext context, String commandTag, String sql) {
    java.util.Map<String, String> cursors = new java.util.HashMap<>(context.cursors());
    switch (commandTag) {
      case "DECLARE CURSOR" -> {
        Declared d = declared(sql);
        if (d == null) {
          return context;
        }
        cursors.put(d.name(), d.query());
      }
      case "DISCARD ALL" -> cursors.clear();
      case "CLOSE CURSOR" -> {
        String name = closed(sql);
        if (ALL.equals(name)) {
          cursors.clear();
        } else if (name != null) {
          cursors.remove(name);
        }
      }
      default -> {
        return context;
      }
    }
    return new AnalysisContext(
        context.searchPath(), cursors, context.prepared(), context.pathSettled());
  }

  /** The cursor {@code sql} declares, or null when it is no DECLARE ... CURSOR ... FOR. */
  public static Declared declared(String sql) {
    List<Token> t = tokens(sql);
    if (t.size() < 4 || !t.get(0).isWord("declare") || !t.get(1).isIdentifier()) {
      return null;
    }
    boolean hold = false;
    for (int i = 2; i < t.size(); i++) {
      Token token = t.get(i);
      if (token.isWord("with") && i + 1 < t.size() && t.get(i + 1).isWord("hold")) {
        hold = true;
      } else if (token.isWord("for") && i + 1 < t.size()) {
        String query = sql.substring(t.get(i + 1).start(), t.getLast().end());
        return new Declared(t.get(1).value(), hold, query);
      } else if (token.type() != TokenType.WORD) {
        return null;
      }
    }
    return null;
  }

  /** The cursor a FETCH or MOVE reads (its last word: {@code FETCH 10 FROM c}), or null. */
  public static String fetched(String sql) {
    List<Token> t = tokens(sql);
    if (t.size() < 2 || !(t.get(0).isWord("fetch") || t.get(0).isWord("move"))) {
      return null;
    }
    Token last = t.getLast();
    return last.isIdentifier() ? last.value() : null;
  }

  /** The cursor a CLOSE closes, {@link #ALL} for CLOSE ALL, or null. */
  public static String closed(String sql) {
    List<Token> t = tokens(sql);
    if (t.size() != 2 || !t.get(0).isWord("close") || !t.get(1).isIdentifier()) {
      return null;
    }
    return t.get(1).isWord("all") ? ALL : t.get(1).value();
  }

  private static List<Token> tokens(String sql) {
    try {
      List<Token> t = new java.util.ArrayList<>(Lexer.tokenize(sql));
      while (!t.isEmpty() && t.getLast().isPunct(";")) {
        t.removeLast();
      }
      return t;
    } catch (LexException e) {
      return List.of();
    }
  }
}
