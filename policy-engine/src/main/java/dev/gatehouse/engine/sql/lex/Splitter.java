package dev.gatehouse.engine.sql.lex;

import java.util.ArrayList;
import java.util.List;

/** Splits a message into statements at the semicolons the lexer found outside quotes. */
public final class Splitter {

  private Splitter() {}

  /** The non-empty statements of {@code sql}, in order. */
  public static List<LexedStatement> split(String sql) throws LexException {
    return split(sql, Lexer.tokenize(sql));
  }

  /** As {@link #split(String)}, refusing messages past {@code limits}. */
  public static List<LexedStatement> split(String sql, LexLimits limits) throws LexException {
    return split(sql, Lexer.tokenize(sql, limits));
  }

  static List<LexedStatement> split(String sql, List<Token> tokens) {
    List<LexedStatement> statements = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    for (Token t : tokens) {
      if (t.isPunct(";")) {
        flush(sql, current, statements);
      } else {
        current.add(t);
      }
    }
    flush(sql, current, statements);
    return List.copyOf(statements);
  }

  private static void flush(String sql, List<Token> current, List<LexedStatement> out) {
    if (current.isEmpty()) {
      return;
    }
    String text = sql.substring(current.getFirst().start(), current.getLast().end());
    out.add(new LexedStatement(text, current));
    current.clear();
  }
}
