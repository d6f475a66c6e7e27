package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.Fingerprint;
import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.ParserText;
import dev.gatehouse.engine.sql.lex.Splitter;
import dev.gatehouse.engine.sql.lex.Token;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL analyser: the PostgreSQL lexer splits and classifies, JSqlParser (on a bounded pool, with
 * a deadline) parses the rest, and a walk of the tree collects what policy needs. Nothing it cannot
 * analyse with confidence passes without a {@link RiskFlag}.
 */
public final class PostgresSqlAnalyzer implements SqlAnalyzer, AutoCloseable {

  /** Limits of one analyser. */
  public record Limits(int maxLength, int maxStatements, Duration parseTimeout, int parserThreads) {

    /** 1 MiB messages, 100 statements, 2 s per statement, one parser thread per core. */
    public static final Limits DEFAULT =
        new Limits(1 << 20, 100, Duration.ofSeconds(2), Runtime.getRuntime().availableProcessors());
  }

  /** A message after lexing: its statements and its fingerprint, or the lexer's complaint. */
  public record Lexed(List<LexedStatement> statements, String fingerprint, String error) {}

  private final Limits limits;
  private final ParserPool pool;

  public PostgresSqlAnalyzer() {
    this(Limits.DEFAULT);
  }

  public PostgresSqlAnalyzer(Limits limits) {
    this.limits = limits;
    this.pool = new ParserPool(limits.parserThreads(), 1024, limits.parseTimeout());
  }

  @Override
  public Analysis analyze(String sql, AnalysisContext context) {
    Lexed lexed = lex(sql);
    return analyze(sql, lexed, context).analysis();
  }

  /** Lexes and splits a message; null, oversized and unlexable messages say why. */
  public Lexed lex(String sql) {
    if (sql == null) {
      return new Lexed(List.of(), null, "no statement text");
    }
    if (sql.length() > limits.maxLength()) {
      return new Lexed(List.of(), null, "too large");
    }
    try {
      List<LexedStatement> statements = Splitter.split(sql);
      return new Lexed(statements, Fingerprint.of(statements), null);
    } catch (LexException e) {
      return new Lexed(List.of(), null, e.getMessage());
    }
  }

  /** An analysis and whether it may be reused for messages with the same fingerprint. */
  public record Result(Analysis analysis, boolean cacheable) {}

  /** Analyses a lexed message. */
  public Result analyze(String sql, Lexed lexed, AnalysisContext context) {
    String text = sql == null ? "" : sql;
    if (lexed.error() != null) {
      RiskFlag flag =
          lexed.error().equals("too large") ? RiskFlag.TOO_LARGE : RiskFlag.PARSE_FAILURE;
      return new Result(
          new Analysis(text, List.of(StatementFacts.failure(flag).toInfo(text)), null), false);
    }
    if (lexed.statements().size() > limits.maxStatements()) {
      return new Result(
          new Analysis(
              text, List.of(StatementFacts.failure(RiskFlag.TOO_LARGE).toInfo(text)), null),
          false);
    }
    List<StatementInfo> infos = new ArrayList<>();
    boolean cacheable = true;
    boolean many = lexed.statements().size() > 1;
    for (LexedStatement statement : lexed.statements()) {
      StatementFacts facts = analyzeStatement(statement, context);
      if (many) {
        facts.flags.add(RiskFlag.MULTIPLE_STATEMENTS);
      }
      cacheable &= !facts.literalSensitive;
      infos.add(facts.toInfo(statement.text()));
    }
    return new Result(new Analysis(text, infos, lexed.fingerprint()), cacheable);
  }

  private StatementFacts analyzeStatement(LexedStatement statement, AnalysisContext context) {
    StatementFacts facts = analyzeTokens(statement, context, 0);
    flagFunctions(facts);
    return facts;
  }

  private StatementFacts analyzeTokens(
      LexedStatement statement, AnalysisContext context, int depth) {
    if (depth > 4) {
      return StatementFacts.failure(RiskFlag.UNSUPPORTED_STATEMENT);
    }
    UtilityClassifier classifier =
        new UtilityClassifier(
            tokens -> analyzeTokens(embedded(tokens), context, depth + 1), context);
    StatementFacts facts = classifier.classify(statement);
    if (facts != null) {
      return facts;
    }
    ParserText text = ParserText.of(statement);
    ParserPool.Outcome<StatementFacts> outcome =
        pool.parse(text.text(), parsed -> ParsedAnalyzer.analyze(parsed, statement, text, context));
    return switch (outcome) {
      case ParserPool.Outcome.Parsed<StatementFacts> p -> p.value();
      case ParserPool.Outcome.Failed<StatementFacts> f ->
          StatementFacts.failure(RiskFlag.PARSE_FAILURE);
      case ParserPool.Outcome.TimedOut<StatementFacts> t -> {
        // A timeout depends on load, not on the text: it must never be cached.
        StatementFacts timedOut = StatementFacts.failure(RiskFlag.PARSE_TIMEOUT);
        timedOut.literalSensitive = true;
        yield timedOut;
      }
    };
  }

  private static LexedStatement embedded(List<Token> tokens) {
    return new LexedStatement("", tokens);
  }

  /** Marks the dangerous and the unknown (not built-in) functions. */
  private static void flagFunctions(StatementFacts facts) {
    for (String f : facts.functions) {
      if (BuiltinCatalog.DANGEROUS_FUNCTIONS.contains(f)) {
        facts.flags.add(RiskFlag.DANGEROUS_FUNCTION);
      }
      if (f.contains(".") || !BuiltinCatalog.isBuiltinFunction(f)) {
        facts.flags.add(RiskFlag.UNKNOWN_FUNCTION);
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
