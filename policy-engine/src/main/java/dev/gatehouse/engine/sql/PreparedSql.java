package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL-level prepared statements as a front end tracks them, like {@link Cursors}: the name and
 * statement of a PREPARE, the statement an EXECUTE runs, the name a DEALLOCATE frees. An EXECUTE of
 * a statement the session prepared is analysed as that statement (its tables, lineage and masking)
 * plus its argument expressions, through {@link AnalysisContext#prepared}; an EXECUTE of any other
 * name stays dynamic SQL. pg_dump 15 and later read functions, aggregates and types so.
 *
 * @see <a href="https://www.postgresql.org/docs/current/sql-prepare.html">PREPARE</a>
 * @see <a href="https://www.postgresql.org/docs/current/sql-execute.html">EXECUTE</a>
 */
public final class PreparedSql {

  /** DEALLOCATE ALL. */
  public static final String ALL = "*";

  /**
   * A PREPARE.
   *
   * @param name as PostgreSQL resolves it (folded unless quoted)
   * @param statement the statement after AS, as written
   */
  public record Prepared(String name, String statement) {}

  /**
   * An EXECUTE.
   *
   * @param name the prepared statement it runs
   * @param arguments the argument list between the parentheses, as written, or null
   */
  public record Executed(String name, String arguments) {}

  private PreparedSql() {}

  /** The statement {@code sql} prepares, or null when it is no PREPARE name [(types)] AS .... */
  public static Prepared prepared(String sql) {
    List<Token> t = tokens(sql);
    if (t.size() < 4 || !t.get(0).isWord("prepare") || !t.get(1).isIdentifier()) {
      return null;
    }
    int i = 2;
    if (t.get(i).isPunct("(")) {
      i = closing(t, i);
      if (i < 0) {
        return null;
      }
      i++;
    }
    if (i + 1 >= t.size() || !t.get(i).isWord("as")) {
      return null;
    }
    return new Prepared(t.get(1).value(), sql.substring(t.get(i + 1).start(), t.getLast().end()));
  }

  /** The statement {@code sql} executes, or null when it is no EXECUTE name [(args)]. */
  public static Executed executed(String sql) {
    List<Token> t = tokens(sql);
    if (t.size() < 2 || !t.get(0).isWord("execute") || !t.get(1).isIdentifier()) {
      return null;
    }
    if (t.size() == 2) {
      return new Executed(t.get(1).value(), null);
    }
    if (!t.get(2).isPunct("(") || closing(t, 2) != t.size() - 1) {
      return null;
    }
    String arguments =
        t.size() == 4 ? "" : sql.substring(t.get(3).start(), t.get(t.size() - 2).end());
    return new Executed(t.get(1).value(), arguments);
  }

  /** The name a DEALLOCATE frees, {@link #ALL} for DEALLOCATE ALL, or null. */
  public static String deallocated(String sql) {
    List<Token> t = tokens(sql);
    int i = t.size() > 1 && t.get(1).isWord("prepare") ? 2 : 1;
    if (t.size() != i + 1 || !t.get(0).isWord("deallocate") || !t.get(i).isIdentifier()) {
      return null;
    }
    return t.get(i).isWord("all") ? ALL : t.get(i).value();
  }

  /**
   * The context for the statement after {@code sql} in the same message: with the statement it
   * prepares, without the one it frees, else {@code context} itself.
   */
  public static AnalysisContext after(AnalysisContext context, String commandTag, String sql) {
    Map<String, String> prepared = new HashMap<>(context.prepared());
    switch (commandTag) {
      case "PREPARE" -> {
        Prepared p = prepared(sql);
        if (p == null) {
          return context;
        }
        prepared.put(p.name(), p.statement());
      }
      case "DEALLOCATE" -> {
        String name = deallocated(sql);
        if (ALL.equals(name)) {
          prepared.clear();
        } else if (name != null) {
          prepared.remove(name);
        }
      }
      case "DISCARD ALL" -> prepared.clear();
      default -> {
        return context;
      }
    }
    return new AnalysisContext(
        context.searchPath(), context.cursors(), prepared, context.pathSettled());
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1. */
  private static int closing(List<Token> t, int open) {
    int depth = 0;
    for (int i = open; i < t.size(); i++) {
      if (t.get(i).isPunct("(")) {
        depth++;
      } else if (t.get(i).isPunct(")") && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static List<Token> tokens(String sql) {
    try {
      List<Token> t = new ArrayList<>(Lexer.tokenize(sql));
      while (!t.isEmpty() && t.getLast().isPunct(";")) {
        t.removeLast();
      }
      return t;
    } catch (LexException e) {
      return List.of();
    }
  }
}
