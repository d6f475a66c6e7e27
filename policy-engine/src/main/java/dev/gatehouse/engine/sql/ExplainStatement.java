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
 * ANALYZE it runs, so it is whatever the statement is. The option list is read from tokens the way
 * the server's grammar reads it (quoted or bare names, any boolean spelling, numbers, strings); an
 * option this analyser does not know, or a value it cannot read as false, counts as running the
 * statement, so a new spelling fails closed.
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

  /** Options (PostgreSQL 17) that only shape the plan's output; none of them runs anything. */
  private static final Set<String> PLAN_OPTIONS =
      Set.of(
          "verbose",
          "costs",
          "settings",
          "generic_plan",
          "buffers",
          "wal",
          "timing",
          "summary",
          "memory",
          "serialize",
          "format");

  private ExplainStatement() {}

  /** What the option list says: whether the statement runs, and whether a value decided it. */
  private record Options(boolean runs, boolean literal, int next) {}

  static StatementFacts classify(LexedStatement s, Function<List<Token>, StatementFacts> inner) {
    Options options;
    if (s.at(1) != null && s.at(1).isPunct("(")) {
      options = parenthesised(s);
      if (options == null) {
        return StatementFacts.failure(RiskFlag.PARSE_FAILURE);
      }
    } else {
      options = bare(s);
    }
    int i = options.next();
    if (i >= s.size()) {
      return StatementFacts.failure(RiskFlag.PARSE_FAILURE);
    }
    StatementFacts body = inner.apply(s.tokens().subList(i, s.size()));
    StatementFacts facts = StatementFacts.of("EXPLAIN", StatementClass.READ);
    facts.absorb(body);
    facts.literalSensitive |= options.literal();
    if (options.runs()) {
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

  /** {@code EXPLAIN [ANALYZE | ANALYSE] [VERBOSE] statement}, the form before option lists. */
  private static Options bare(LexedStatement s) {
    int i = 1;
    boolean runs = false;
    while (s.at(i) != null
        && (s.at(i).isWord("analyze") || s.at(i).isWord("analyse") || s.at(i).isWord("verbose"))) {
      runs |= !s.at(i).isWord("verbose");
      i++;
    }
    return new Options(runs, false, i);
  }

  /**
   * {@code EXPLAIN ( name [value] [, ...] ) statement}; null when the list is not well formed.
   * Every ANALYZE in the list counts (PostgreSQL keeps the last one; any that is not false means
   * the analyser cannot rule out a run).
   */
  private static Options parenthesised(LexedStatement s) {
    int close = CopySyntax.closing(s, 1);
    if (close < 0) {
      return null;
    }
    boolean runs = false;
    boolean literal = false;
    int k = 2;
    if (k == close) {
      return null; // an empty list is a syntax error
    }
    while (k < close) {
      Token name = s.at(k);
      if (name.type() != TokenType.WORD && name.type() != TokenType.QUOTED_IDENT) {
        return null;
      }
      k++;
      int valueStart = k;
      while (k < close && !s.at(k).isPunct(",")) {
        k++;
      }
      List<Token> value = s.tokens().subList(valueStart, k);
      if (!wellFormedValue(value)) {
        return null;
      }
      // Quoted names are compared as written, as the server does: "analyze" is ANALYZE, while
      // "ANALYZE" is not an option the server knows, so it too fails closed below.
      String option = name.value();
      if (option.equals("analyze") || option.equals("analyse")) {
        runs |= !isFalse(value);
        literal |= !value.isEmpty();
      } else if (!PLAN_OPTIONS.contains(option)) {
        runs = true; // unknown to this analyser: assume it runs the statement
      }
      if (k < close) {
        k++; // the comma
        if (k == close) {
          return null; // a trailing comma is a syntax error
        }
      }
    }
    return new Options(runs, literal, close + 1);
  }

  /** Empty, one word, string, number, or a signed number: what the grammar accepts. */
  private static boolean wellFormedValue(List<Token> value) {
    if (value.isEmpty()) {
      return true;
    }
    Token first = value.getFirst();
    if (value.size() == 2) {
      return first.type() == TokenType.OPERATOR
          && (first.value().equals("-") || first.value().equals("+"))
          && value.get(1).type() == TokenType.NUMBER;
    }
    return value.size() == 1
        && switch (first.type()) {
          case WORD, QUOTED_IDENT, STRING, NUMBER -> true;
          default -> false;
        };
  }

  /**
   * True only for a value PostgreSQL's defGetBoolean reads as false: the integer 0, or {@code
   * false}/{@code off} in any case, bare, quoted or as a string. Anything else is true or an error;
   * both count as a run here.
   */
  private static boolean isFalse(List<Token> value) {
    if (value.size() != 1) {
      return false;
    }
    Token v = value.getFirst();
    if (v.type() == TokenType.NUMBER) {
      return v.value().matches("0+") || v.value().matches("0[xX]0+|0[oO]0+|0[bB]0+");
    }
    String text = v.value().toLowerCase(Locale.ROOT);
    return text.equals("false") || text.equals("off");
  }
}
