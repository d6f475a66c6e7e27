package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.Fingerprint;
import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexLimits;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.LimitExceededException;
import dev.gatehouse.engine.sql.lex.ParserText;
import dev.gatehouse.engine.sql.lex.Splitter;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.BuiltinCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL analyser: the PostgreSQL lexer splits and classifies, JSqlParser (on a bounded pool, with
 * a deadline) parses the rest, and a walk of the tree collects what policy needs. Nothing it cannot
 * analyse with confidence passes without a {@link RiskFlag}.
 */
public final class PostgresSqlAnalyzer implements SqlAnalyzer, AutoCloseable {

  /**
   * Limits of one analyser; every bound but the parse deadline is checked before any parsing.
   *
   * @param maxLength characters in one message
   * @param maxStatements statements in one message
   * @param maxTokens tokens in one message
   * @param maxDepth nesting of parentheses and brackets
   * @param parseTimeout deadline of one statement's parse
   * @param parserThreads threads parsing at once, for everybody
   * @param parsesPerPrincipal parses of one principal at once; its further statements wait for its
   *     own, not in front of other principals'
   * @param slowMemory how long a statement whose parse ran past the deadline is refused at once
   */
  public record Limits(
      int maxLength,
      int maxStatements,
      int maxTokens,
      int maxDepth,
      Duration parseTimeout,
      int parserThreads,
      int parsesPerPrincipal,
      Duration slowMemory) {

    /**
     * 1 MiB messages, 100 statements, 100,000 tokens, nesting 200 deep, 2 s per statement, one
     * parser thread per core of which one principal takes at most half, slow statements remembered
     * for 10 minutes.
     */
    public static final Limits DEFAULT = defaults(Runtime.getRuntime().availableProcessors());

    public Limits {
      if (maxLength < 1 || maxStatements < 1 || parserThreads < 1 || parsesPerPrincipal < 1) {
        throw new IllegalArgumentException("analysis limits must be positive");
      }
      new LexLimits(maxDepth, maxTokens);
    }

    /** The defaults with the other bounds as given (kept for callers that set only these). */
    public Limits(int maxLength, int maxStatements, Duration parseTimeout, int parserThreads) {
      this(
          maxLength,
          maxStatements,
          100_000,
          200,
          parseTimeout,
          parserThreads,
          Math.max(1, parserThreads / 2),
          Duration.ofMinutes(10));
    }

    private static Limits defaults(int cores) {
      return new Limits(1 << 20, 100, Duration.ofSeconds(2), cores);
    }

    LexLimits lex() {
      return new LexLimits(maxDepth, maxTokens);
    }
  }

  /**
   * A message after lexing: its statements and its fingerprint, or the lexer's complaint.
   *
   * @param exceeded the analyser's bound the message went past, or null
   */
  public record Lexed(
      List<LexedStatement> statements, String fingerprint, String error, AnalysisLimit exceeded) {

    public Lexed(List<LexedStatement> statements, String fingerprint, String error) {
      this(statements, fingerprint, error, null);
    }
  }

  private final Limits limits;
  private final ParserPool pool;
  private final SlowStatements slow;

  public PostgresSqlAnalyzer() {
    this(Limits.DEFAULT);
  }

  public PostgresSqlAnalyzer(Limits limits) {
    this.limits = limits;
    this.pool =
        new ParserPool(
            limits.parserThreads(), 1024, limits.parseTimeout(), limits.parsesPerPrincipal());
    this.slow = new SlowStatements(1024, limits.slowMemory());
  }

  public Limits limits() {
    return limits;
  }

  @Override
  public Analysis analyze(String sql, AnalysisContext context) {
    return analyze(sql, context, null);
  }

  @Override
  public Analysis analyze(String sql, AnalysisContext context, String owner) {
    Lexed lexed = lex(sql);
    return analyze(sql, lexed, context, owner).analysis();
  }

  /**
   * The statements of a message as the lexer splits them, each named by its first word and nothing
   * else learnt: for a message refused whatever it says, so it is recorded without being parsed.
   */
  @Override
  public Analysis outline(String sql) {
    Lexed lexed = lex(sql);
    String text = sql == null ? "" : sql;
    if (lexed.error() != null) {
      return analyze(sql, lexed, AnalysisContext.DEFAULT, null).analysis();
    }
    List<StatementInfo> infos = new ArrayList<>();
    for (LexedStatement statement : lexed.statements()) {
      Token first = statement.at(0);
      String tag =
          first.type() == dev.gatehouse.engine.sql.lex.TokenType.WORD
              ? first.value().toUpperCase(Locale.ROOT)
              : "UNKNOWN";
      infos.add(StatementFacts.of(tag, StatementClass.UNKNOWN).toInfo(statement.text()));
    }
    return new Analysis(text, infos, lexed.fingerprint());
  }

  /** Lexes and splits a message; null, oversized and unlexable messages say why. */
  public Lexed lex(String sql) {
    if (sql == null) {
      return new Lexed(List.of(), null, "no statement text");
    }
    if (sql.length() > limits.maxLength()) {
      return tooLarge(new AnalysisLimit(AnalysisLimit.Kind.SIZE, limits.maxLength()));
    }
    try {
      List<LexedStatement> statements = Splitter.split(sql, limits.lex());
      if (statements.size() > limits.maxStatements()) {
        return tooLarge(new AnalysisLimit(AnalysisLimit.Kind.STATEMENTS, limits.maxStatements()));
      }
      return new Lexed(statements, Fingerprint.of(statements), null);
    } catch (LimitExceededException e) {
      return tooLarge(
          new AnalysisLimit(
              e.bound() == LimitExceededException.Bound.DEPTH
                  ? AnalysisLimit.Kind.DEPTH
                  : AnalysisLimit.Kind.TOKENS,
              e.max()));
    } catch (LexException e) {
      return new Lexed(List.of(), null, e.getMessage());
    }
  }

  private static Lexed tooLarge(AnalysisLimit exceeded) {
    return new Lexed(List.of(), null, "too large", exceeded);
  }

  /** An analysis and whether it may be reused for messages with the same fingerprint. */
  public record Result(Analysis analysis, boolean cacheable) {}

  /**
   * {@code ORDER BY 1} and {@code GROUP BY 2} name output columns by number, so the literal decides
   * which column is sorted or grouped on (a masked one or not): such analyses are never shared
   * through the fingerprint cache, whose key has no literals. Broad on purpose (a match inside a
   * comment or string only costs a cache miss).
   */
  private static final java.util.regex.Pattern POSITIONAL =
      java.util.regex.Pattern.compile(
          "(?is)\\b(?:order|group)\\s+by\\s*\\(?\\s*\\d|\\b(?:order|group)\\s+by\\b.*?,\\s*\\(?\\s*\\d");

  /**
   * The same test on the statement's tokens, which hold no comments: a number right after {@code
   * ORDER BY}, {@code GROUP BY} or {@code DISTINCT ON}, or after a comma or an opening parenthesis
   * anywhere after them, or after {@code GROUPING SETS}, {@code ROLLUP} or {@code CUBE}, may be an
   * output position ({@code ORDER/ ** /BY 2}, {@code (2)} and {@code GROUPING SETS ((2))} are;
   * red-team rounds 12 and 13: a comment hid one from the text pattern, and position 1's cached
   * analysis served position 2, sorting on a masked column).
   */
  static boolean positional(dev.gatehouse.engine.sql.lex.LexedStatement statement) {
    List<dev.gatehouse.engine.sql.lex.Token> tokens = statement.tokens();
    boolean after = false;
    for (int i = 0; i < tokens.size(); i++) {
      dev.gatehouse.engine.sql.lex.Token t = tokens.get(i);
      if (t.isWord("by")
              && i > 0
              && (tokens.get(i - 1).isWord("order") || tokens.get(i - 1).isWord("group"))
          || t.isWord("on") && i > 0 && tokens.get(i - 1).isWord("distinct")) {
        after = true;
      } else if (after && t.type() == dev.gatehouse.engine.sql.lex.TokenType.NUMBER) {
        int k = i - 1;
        while (k >= 0 && isPunct(tokens.get(k), "(")) {
          k--;
        }
        dev.gatehouse.engine.sql.lex.Token before = k >= 0 ? tokens.get(k) : null;
        if (before != null
            && (before.isWord("by")
                || before.isWord("on")
                || before.isWord("sets")
                || before.isWord("rollup")
                || before.isWord("cube")
                || isPunct(before, ","))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isPunct(dev.gatehouse.engine.sql.lex.Token t, String value) {
    return t.type() == dev.gatehouse.engine.sql.lex.TokenType.PUNCT && t.value().equals(value);
  }

  /** Analyses a lexed message. */
  public Result analyze(String sql, Lexed lexed, AnalysisContext context) {
    return analyze(sql, lexed, context, null);
  }

  /** Analyses a lexed message, parsing in {@code owner}'s fair share of the parser threads. */
  public Result analyze(String sql, Lexed lexed, AnalysisContext context, String owner) {
    String text = sql == null ? "" : sql;
    if (lexed.error() != null) {
      RiskFlag flag =
          lexed.error().equals("too large") ? RiskFlag.TOO_LARGE : RiskFlag.PARSE_FAILURE;
      return new Result(
          new Analysis(
              text, List.of(StatementFacts.failure(flag).toInfo(text)), null, lexed.exceeded()),
          false);
    }
    CachedOnly.check("the analysis of this statement"); // parsing may take the whole deadline
    List<StatementInfo> infos = new ArrayList<>();
    boolean cacheable = true;
    boolean many = lexed.statements().size() > 1;
    AnalysisLimit exceeded = null;
    AnalysisContext current = context;
    boolean pathSet = false;
    boolean blockEnded = false;
    for (LexedStatement statement : lexed.statements()) {
      StatementFacts facts = analyzeStatement(statement, current, owner);
      if (blockEnded) {
        facts.flags.add(RiskFlag.UNCERTAIN_SEARCH_PATH);
      }
      // The session's own block may hold a path its end changes (a SET LOCAL sent earlier).
      pathSet |= setsSearchPath(facts) || !context.pathSettled();
      blockEnded |= pathSet && endsBlock(facts);
      // A cursor declared (or closed) earlier in the message is there for the FETCH after it.
      current = Cursors.after(current, facts.commandTag, statement.text());
      // So is a statement prepared earlier in it, for the EXECUTE after it.
      current = PreparedSql.after(current, facts.commandTag, statement.text());
      // And a search_path set earlier in it, for the names after it (red-team round 21: `SET
      // search_path = app; SELECT … FROM customers` was judged under the path before the message).
      current = searchPathAfter(current, facts);
      if (many) {
        facts.flags.add(RiskFlag.MULTIPLE_STATEMENTS);
      }
      cacheable &=
          !facts.literalSensitive
              && !POSITIONAL.matcher(statement.text()).find()
              && !positional(statement);
      infos.add(facts.toInfo(statement.text()));
      if (facts.exceeded != null) {
        // One statement past a bound refuses the message: the rest need not be parsed.
        exceeded = facts.exceeded;
        break;
      }
    }
    return new Result(new Analysis(text, infos, lexed.fingerprint(), exceeded), cacheable);
  }

  /** A SET, SET LOCAL or RESET of search_path, RESET ALL or DISCARD ALL. */
  private static boolean setsSearchPath(StatementFacts facts) {
    return facts.settings.containsKey("search_path")
        || facts.settings.containsKey("all")
        || facts.commandTag.equals("DISCARD ALL");
  }

  /** COMMIT (END), ROLLBACK (ABORT, ROLLBACK TO) or PREPARE TRANSACTION. */
  private static boolean endsBlock(StatementFacts facts) {
    return switch (facts.commandTag) {
      case "COMMIT", "ROLLBACK", "PREPARE TRANSACTION" -> true;
      default -> false;
    };
  }

  /**
   * The context after {@code facts} ran: a SET (or SET LOCAL) of search_path gives its path, a
   * RESET of it, RESET ALL or DISCARD ALL the default one; anything else leaves it.
   */
  static AnalysisContext searchPathAfter(AnalysisContext context, StatementFacts facts) {
    String value = facts.settings.get("search_path");
    List<String> path;
    if (facts.commandTag.equals("DISCARD ALL")
        || facts.commandTag.equals("RESET") && facts.settings.containsKey("all")) {
      path = AnalysisContext.DEFAULT.searchPath();
    } else if (value == null) {
      return context;
    } else if (facts.commandTag.equals("RESET") || value.equalsIgnoreCase("default")) {
      path = AnalysisContext.DEFAULT.searchPath();
    } else {
      path =
          dev.gatehouse.engine.sql.model.Names.searchPath(value).stream()
              .filter(s -> !s.equals("$user"))
              .toList();
    }
    return path.equals(context.searchPath())
        ? context
        : new AnalysisContext(path, context.cursors(), context.prepared(), context.pathSettled());
  }

  private StatementFacts analyzeStatement(
      LexedStatement statement, AnalysisContext context, String owner) {
    StatementFacts facts = analyzeTokens(statement, context, 0, owner);
    flagFunctions(facts);
    HiddenCode.flag(statement, facts);
    DdlWrites.apply(statement, facts, body -> analyzeBody(body, context, owner));
    return facts;
  }

  /** The statements of a function body, or null when one cannot be lexed or parsed. */
  private List<StatementFacts> analyzeBody(String body, AnalysisContext context, String owner) {
    List<LexedStatement> statements;
    try {
      statements = Splitter.split(body, limits.lex());
    } catch (LexException e) {
      return null;
    }
    List<StatementFacts> out = new ArrayList<>();
    for (LexedStatement st : statements) {
      StatementFacts f = analyzeTokens(st, context, 1, owner);
      if (f.statementClass == StatementClass.UNKNOWN
          || f.flags.contains(RiskFlag.PARSE_FAILURE)
          || f.flags.contains(RiskFlag.PARSE_TIMEOUT)
          || f.flags.contains(RiskFlag.UNSUPPORTED_STATEMENT)) {
        return null;
      }
      out.add(f);
    }
    return out.isEmpty() ? null : out;
  }

  private StatementFacts analyzeTokens(
      LexedStatement statement, AnalysisContext context, int depth, String owner) {
    if (depth > 4) {
      return StatementFacts.failure(RiskFlag.UNSUPPORTED_STATEMENT);
    }
    UtilityClassifier classifier =
        new UtilityClassifier(
            tokens -> analyzeTokens(embedded(tokens), context, depth + 1, owner), context);
    StatementFacts facts = classifier.classify(statement);
    if (facts != null) {
      return facts;
    }
    String key = Fingerprint.of(List.of(statement));
    if (slow.remembered(key)) {
      return tooSlow();
    }
    ParserText text = ParserText.of(statement);
    ParserPool.Outcome<StatementFacts> outcome =
        pool.parse(
            owner, text.text(), parsed -> ParsedAnalyzer.analyze(parsed, statement, text, context));
    return switch (outcome) {
      case ParserPool.Outcome.Parsed<StatementFacts> p -> p.value();
      case ParserPool.Outcome.Failed<StatementFacts> f ->
          StatementFacts.failure(RiskFlag.PARSE_FAILURE);
      case ParserPool.Outcome.TimedOut<StatementFacts> t when t.ranFull() -> {
        // The text itself is slow to parse: refuse it, and refuse its repeats at once for a while.
        slow.remember(key);
        yield tooSlow();
      }
      case ParserPool.Outcome.TimedOut<StatementFacts> t -> {
        // A timeout depends on load, not on the text: it must never be cached.
        StatementFacts timedOut = StatementFacts.failure(RiskFlag.PARSE_TIMEOUT);
        timedOut.literalSensitive = true;
        yield timedOut;
      }
    };
  }

  private StatementFacts tooSlow() {
    StatementFacts facts = StatementFacts.failure(RiskFlag.PARSE_TIMEOUT);
    facts.literalSensitive = true;
    facts.exceeded =
        new AnalysisLimit(AnalysisLimit.Kind.PARSE_TIME, limits.parseTimeout().toMillis());
    return facts;
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
