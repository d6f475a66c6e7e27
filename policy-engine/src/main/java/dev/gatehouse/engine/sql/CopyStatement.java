package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.List;
import java.util.function.Function;

/**
 * COPY: its direction (TO a client or FROM a client), its target (STDIN/STDOUT, a server file, a
 * program) and what it reads or writes.
 *
 * @see <a href="https://www.postgresql.org/docs/16/sql-copy.html">COPY</a>
 */
final class CopyStatement {

  private CopyStatement() {}

  static StatementFacts classify(
      LexedStatement s, Function<List<Token>, StatementFacts> inner, AnalysisContext context) {
    StatementFacts facts = StatementFacts.of("COPY", StatementClass.UNKNOWN);
    int i = 1;
    StatementFacts source;
    TableRef table = null;
    if (s.at(1) != null && s.at(1).isPunct("(")) {
      int close = closing(s, 1);
      if (close < 0) {
        facts.flags.add(RiskFlag.PARSE_FAILURE);
        return facts;
      }
      source = inner.apply(s.tokens().subList(2, close));
      i = close + 1;
    } else {
      TableName name = TableName.at(s, 1, context);
      if (name == null) {
        facts.flags.add(RiskFlag.PARSE_FAILURE);
        return facts;
      }
      table = name.ref();
      i = name.next();
      if (s.at(i) != null && s.at(i).isPunct("(")) {
        i = closing(s, i) + 1;
        if (i == 0) {
          facts.flags.add(RiskFlag.PARSE_FAILURE);
          return facts;
        }
      }
      source = null;
    }
    Token direction = s.at(i);
    Token target = s.at(i + 1);
    if (direction == null
        || target == null
        || !(direction.isWord("to") || direction.isWord("from"))) {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
      return facts;
    }
    boolean out = direction.isWord("to");
    if (target.isWord("program")) {
      facts.flags.add(RiskFlag.COPY_PROGRAM);
    } else if (target.type() == TokenType.STRING) {
      facts.flags.add(RiskFlag.COPY_FILE);
    } else if (!(target.isWord("stdout") || target.isWord("stdin"))) {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
    }
    if (source != null) {
      facts.absorb(source);
      facts.outputColumns = source.outputColumns;
      facts.statementClass =
          source.statementClass == StatementClass.READ
                  || source.statementClass == StatementClass.WRITE
              ? source.statementClass
              : StatementClass.UNKNOWN;
      if (!out) {
        facts.flags.add(RiskFlag.PARSE_FAILURE);
      }
    } else if (out) {
      facts.tablesRead.add(table);
      facts.statementClass = StatementClass.READ;
      // COPY t TO sends the rows of SELECT * FROM t, so it has that statement's lineage.
      facts.outputColumns = selectAll(s, inner);
    } else {
      facts.tablesWritten.add(table);
      facts.statementClass = StatementClass.WRITE;
    }
    return facts;
  }

  private static List<dev.gatehouse.engine.sql.OutputColumn> selectAll(
      LexedStatement s, Function<List<Token>, StatementFacts> inner) {
    int end = 1;
    while (s.at(end) != null && !s.at(end).isWord("to") && !s.at(end).isPunct("(")) {
      end++;
    }
    try {
      String relation =
          s.text()
              .substring(s.at(1).start() - s.at(0).start(), s.at(end - 1).end() - s.at(0).start());
      return inner.apply(Lexer.tokenize("SELECT * FROM " + relation)).outputColumns;
    } catch (LexException | RuntimeException e) {
      return List.of();
    }
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
}
