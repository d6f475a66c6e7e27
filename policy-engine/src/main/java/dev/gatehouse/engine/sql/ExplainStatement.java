package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * EXPLAIN: without ANALYZE the statement is only planned, so it is a read of what it names; with
 * ANALYZE it runs, so it is whatever the statement is.
 *
 * @see <a href="https://www.postgresql.org/docs/16/sql-explain.html">EXPLAIN</a>
 */
final class ExplainStatement {

  /** Flags that describe running a statement; a plan alone does none of it. */
  private static final Set<RiskFlag> RUN_ONLY =
      EnumSet.of(
          RiskFlag.NO_WHERE,
          RiskFlag.TAUTOLOGICAL_WHERE,
          RiskFlag.WRITE_IN_CTE,
          RiskFlag.SELECT_INTO,
          RiskFlag.LOCKING_READ);

  private ExplainStatement() {}

  /** A boolean option value that turns the option off, as PostgreSQL's defGetBoolean reads it. */
  private static boolean isFalse(Token v) {
    String value = v.value().toLowerCase(Locale.ROOT);
    return value.equals("false") || value.equals("off") || value.equals("0") || value.equals("no");
  }

  static StatementFacts classify(LexedStatement s, Function<List<Token>, StatementFacts> inner) {
    int i = 1;
    boolean analyze = false;
    boolean literal = false;
    if (s.at(1) != null && s.at(1).isPunct("(")) {
      int close = CopyStatement.closing(s, 1);
      if (close < 0) {
        return StatementFacts.failure(RiskFlag.PARSE_FAILURE);
      }
      for (int k = 2; k < close; k++) {
        if (s.at(k).isWord("analyze") || s.at(k).isWord("analyse")) {
          Token v = s.at(k + 1);
          analyze = v == null || v.isPunct(",") || v.isPunct(")") || !isFalse(v);
          // `ANALYZE 0` and `ANALYZE 1` share a fingerprint: the value decides, so no caching.
          literal |= v != null && (v.type() == TokenType.NUMBER || v.type() == TokenType.STRING);
        }
      }
      i = close + 1;
    } else {
      while (s.at(i) != null
          && (s.at(i).isWord("analyze")
              || s.at(i).isWord("analyse")
              || s.at(i).isWord("verbose"))) {
        analyze |= !s.at(i).isWord("verbose");
        i++;
      }
    }
    if (i >= s.size()) {
      return StatementFacts.failure(RiskFlag.PARSE_FAILURE);
    }
    StatementFacts body = inner.apply(s.tokens().subList(i, s.size()));
    StatementFacts facts = StatementFacts.of("EXPLAIN", StatementClass.READ);
    facts.absorb(body);
    facts.literalSensitive |= literal;
    if (analyze) {
      facts.flags.add(RiskFlag.EXPLAIN_ANALYZE);
      facts.statementClass = body.statementClass;
    } else {
      // Planning reads the catalog entries of every relation named; it writes nothing.
      facts.tablesRead.addAll(body.tablesWritten);
      facts.tablesWritten.clear();
      facts.flags.removeAll(RUN_ONLY);
      if (body.statementClass == StatementClass.UNKNOWN) {
        facts.statementClass = StatementClass.UNKNOWN;
      }
    }
    return facts;
  }
}
