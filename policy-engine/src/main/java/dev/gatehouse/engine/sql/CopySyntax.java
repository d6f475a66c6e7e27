package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reading of a COPY statement, shared by analysis (what it reads or writes), masking (the
 * query to describe and the data format) and the wire proxy: {@code COPY relation [(columns)] |
 * (query)}, its direction, its target and its options, as tokens of the analyser's lexer so that
 * strings, dollar quotes, quoted names and comments mean what PostgreSQL reads.
 *
 * @param statement the statement's tokens (without a trailing semicolon)
 * @param queryClose the parenthesis closing a copied query (which opens at token 1), or -1 when a
 *     relation is copied
 * @param relationEnd the token after the relation's name, or -1 when a query is copied
 * @param columnsClose the parenthesis closing the relation's column list, or -1 when there is none
 * @param toClient {@code COPY ... TO} (rows go out) rather than {@code COPY ... FROM}
 * @param target where the rows go or come from
 * @see <a href="https://www.postgresql.org/docs/current/sql-copy.html">COPY</a>
 */
public record CopySyntax(
    LexedStatement statement,
    int queryClose,
    int relationEnd,
    int columnsClose,
    boolean toClient,
    Target target) {

  /** STDOUT or STDIN, a file on the server, or a program the server runs. */
  public enum Target {
    CLIENT,
    FILE,
    PROGRAM,
    /** Not a target PostgreSQL accepts: the statement fails there. */
    UNKNOWN
  }

  /** One option, its name folded and its value as written (null when it has none). */
  public record Option(String name, String value) {}

  /** A COPY statement that cannot be read, with a message for the user. */
  public static final class Malformed extends IllegalArgumentException {
    Malformed(String message) {
      super(message);
    }
  }

  /** Reads {@code sql}, one statement; throws {@link Malformed} for anything but a COPY. */
  public static CopySyntax parse(String sql) {
    List<Token> t;
    try {
      t = new ArrayList<>(Lexer.tokenize(sql));
    } catch (LexException e) {
      throw new Malformed("copy statement cannot be read: `" + abbreviate(sql) + "`");
    }
    while (!t.isEmpty() && t.getLast().isPunct(";")) {
      t.removeLast();
    }
    if (t.isEmpty() || !t.getFirst().isWord("copy")) {
      throw new Malformed("not a copy statement: `" + abbreviate(sql) + "`");
    }
    return read(new LexedStatement(sql.substring(t.getFirst().start(), t.getLast().end()), t));
  }

  /** Reads a statement the lexer split off; throws {@link Malformed} when it is not well formed. */
  public static CopySyntax read(LexedStatement s) {
    int queryClose = -1;
    int relationEnd = -1;
    int columnsClose = -1;
    int i;
    if (s.at(1) != null && s.at(1).isPunct("(")) {
      queryClose = closing(s, 1);
      if (queryClose < 0) {
        throw new Malformed("unbalanced parentheses in copy statement");
      }
      if (queryClose == 2) {
        throw new Malformed("copy statement lacks a table or query");
      }
      i = queryClose + 1;
    } else {
      TableName name = TableName.at(s, 1, AnalysisContext.DEFAULT);
      if (name == null) {
        throw new Malformed("copy statement lacks a table or query");
      }
      relationEnd = name.next();
      i = relationEnd;
      if (s.at(i) != null && s.at(i).isPunct("(")) {
        columnsClose = closing(s, i);
        if (columnsClose < 0) {
          throw new Malformed("unbalanced parentheses in copy statement");
        }
        i = columnsClose + 1;
      }
    }
    Token direction = s.at(i);
    Token target = s.at(i + 1);
    if (direction == null
        || target == null
        || !(direction.isWord("to") || direction.isWord("from"))) {
      throw new Malformed("copy statement lacks `to` or `from` and a target");
    }
    Target kind;
    if (target.isWord("program")) {
      kind = Target.PROGRAM;
    } else if (target.type() == TokenType.STRING) {
      kind = Target.FILE;
    } else if (target.isWord("stdout") || target.isWord("stdin")) {
      // PostgreSQL reads either word as the client, in both directions
      kind = Target.CLIENT;
    } else {
      kind = Target.UNKNOWN;
    }
    return new CopySyntax(s, queryClose, relationEnd, columnsClose, direction.isWord("to"), kind);
  }

  /** The relation copied ({@code [ONLY] schema.name}) as written, or null for a query. */
  public String relation() {
    return relationEnd < 0 ? null : text(1, relationEnd - 1);
  }

  /** The copied query's tokens, or null when a relation is copied. */
  public List<Token> queryTokens() {
    return queryClose < 0 ? null : statement.tokens().subList(2, queryClose);
  }

  /**
   * The query whose rows {@code COPY ... TO} sends: the parenthesized query, {@code TABLE t}, or
   * {@code SELECT columns FROM t}, as written.
   */
  public String rowsQuery() {
    if (queryClose >= 0) {
      return text(2, queryClose - 1);
    }
    String table = relation();
    return columnsClose < 0
        ? "TABLE " + table
        : "SELECT " + text(relationEnd + 1, columnsClose - 1) + " FROM " + table;
  }

  /**
   * The options after the target: {@code [WITH] (name [value], ...)} or the pre-9.0 words ({@code
   * CSV HEADER DELIMITER ','}); throws {@link Malformed} when they cannot be read.
   */
  public List<Option> options() {
    int i = (queryClose >= 0 ? queryClose : columnsClose >= 0 ? columnsClose : relationEnd - 1) + 3;
    if (statement.at(i) != null && statement.at(i).isWord("with")) {
      i++;
    }
    return statement.at(i) != null && statement.at(i).isPunct("(")
        ? CopyOptions.list(this, i)
        : CopyOptions.legacy(statement, i);
  }

  /** The statement's own text from token {@code from} to token {@code to}, both included. */
  String text(int from, int to) {
    if (to < from) {
      throw new Malformed("copy statement lacks a table or query");
    }
    int base = statement.at(0).start();
    return statement
        .text()
        .substring(statement.at(from).start() - base, statement.at(to).end() - base)
        .strip();
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1. */
  static int closing(LexedStatement s, int open) {
    int depth = 0;
    for (int i = open; i < s.size(); i++) {
      if (s.at(i).isPunct("(")) {
        depth++;
      } else if (s.at(i).isPunct(")") && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** The statement in one short line, for messages. */
  public static String abbreviate(String sql) {
    String s = sql.strip().replaceAll("\\s+", " ");
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
