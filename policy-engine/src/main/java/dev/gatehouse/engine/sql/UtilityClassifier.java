package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Classifies, from tokens alone, the statements JSqlParser cannot parse or gets wrong: transaction
 * control, SET/RESET/SHOW, COPY, maintenance, LISTEN/NOTIFY, PREPARE/EXECUTE, DISCARD, LOCK,
 * cursors, DO, EXPLAIN, TRUNCATE, and role or server administration. Statements embedded in them
 * (COPY's query, PREPARE's statement, a cursor's query, EXPLAIN's statement) go back through the
 * full analysis.
 */
final class UtilityClassifier {

  /** Object types whose CREATE, ALTER or DROP is administration, not schema change. */
  private static final Set<String> ADMIN_OBJECTS =
      Set.of(
          "role",
          "user",
          "group",
          "extension",
          "database",
          "tablespace",
          "system",
          "server",
          "subscription",
          "publication",
          "event",
          "language",
          "foreign",
          "owned");

  private final Function<List<Token>, StatementFacts> inner;
  private final AnalysisContext context;

  /**
   * @param inner analyses an embedded statement given as tokens
   * @param context where unqualified names resolve
   */
  UtilityClassifier(Function<List<Token>, StatementFacts> inner, AnalysisContext context) {
    this.inner = inner;
    this.context = context;
  }

  /** The facts of {@code s}, or null when JSqlParser should analyse it. */
  StatementFacts classify(LexedStatement s) {
    Token first = s.at(0);
    if (first.type() != TokenType.WORD) {
      return null;
    }
    return switch (first.value()) {
      case "begin" -> transaction(s, "BEGIN");
      case "start" -> transaction(s, "START TRANSACTION");
      case "commit", "end" -> s.wordsAt(1, "prepared") ? admin("COMMIT PREPARED") : tx("COMMIT");
      case "abort", "rollback" ->
          s.wordsAt(1, "prepared") ? admin("ROLLBACK PREPARED") : tx("ROLLBACK");
      case "savepoint" -> tx("SAVEPOINT");
      case "release" -> tx("RELEASE");
      case "set" -> SettingStatements.set(s);
      case "reset" -> SettingStatements.reset(s);
      case "show" -> StatementFacts.of("SHOW", StatementClass.READ);
      case "copy" -> CopyStatement.classify(s, inner, context);
      case "vacuum", "analyze", "analyse", "cluster", "reindex", "checkpoint", "load" ->
          admin(first.value().equals("analyse") ? "ANALYZE" : first.value().toUpperCase());
      case "listen", "unlisten" ->
          StatementFacts.of(first.value().toUpperCase(), StatementClass.SESSION);
      case "notify" -> StatementFacts.of("NOTIFY", StatementClass.WRITE);
      case "prepare" -> prepare(s);
      case "execute" -> execute(s);
      case "do" -> dynamic("DO");
      case "deallocate" -> StatementFacts.of("DEALLOCATE", StatementClass.SESSION);
      case "discard" -> discard(s);
      case "lock" -> lock(s);
      case "declare" -> declare(s);
      case "fetch", "move" -> fetch(s);
      case "close" -> StatementFacts.of("CLOSE CURSOR", StatementClass.SESSION);
      case "explain" -> ExplainStatement.classify(s, inner);
      case "truncate" -> truncate(s);
      case "grant", "revoke" -> grant(s);
      case "create", "alter", "drop" -> administration(s);
      case "reassign", "import", "security" -> admin(CommandTags.ddl(s));
      case "call" -> call(s);
      case "select" -> SetConfigCall.classify(s);
      default -> null;
    };
  }

  private static StatementFacts tx(String tag) {
    return StatementFacts.of(tag, StatementClass.TRANSACTION);
  }

  private static StatementFacts admin(String tag) {
    return StatementFacts.of(tag, StatementClass.ADMIN);
  }

  private static StatementFacts dynamic(String tag) {
    StatementFacts facts = StatementFacts.of(tag, StatementClass.UNKNOWN);
    facts.flags.add(RiskFlag.DYNAMIC_SQL);
    return facts;
  }

  private static StatementFacts transaction(LexedStatement s, String tag) {
    if (tag.equals("START TRANSACTION") && !s.wordsAt(1, "transaction")) {
      return null;
    }
    StatementFacts facts = tx(tag);
    if (readWrite(s)) {
      facts.flags.add(RiskFlag.READ_WRITE_TRANSACTION);
    }
    return facts;
  }

  /** True when the statement holds {@code READ WRITE} (a transaction mode). */
  static boolean readWrite(LexedStatement s) {
    for (int i = 0; i + 1 < s.size(); i++) {
      if (s.wordsAt(i, "read", "write")) {
        return true;
      }
    }
    return false;
  }

  private StatementFacts prepare(LexedStatement s) {
    if (s.wordsAt(1, "transaction")) {
      return admin("PREPARE TRANSACTION");
    }
    // Judged as the statement it prepares: a PREPARE of what the principal may not run is refused.
    StatementFacts facts = StatementFacts.of("PREPARE", StatementClass.UNKNOWN);
    int as = indexOfWord(s, "as", 2);
    if (PreparedSql.prepared(s.text()) == null || as < 0 || as + 1 >= s.size()) {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
      return facts;
    }
    StatementFacts body = inner.apply(s.tokens().subList(as + 1, s.size()));
    facts.absorb(body);
    facts.statementClass = body.statementClass;
    return facts;
  }

  /**
   * EXECUTE of a statement this session prepared: analysed as that statement, its rows masked with
   * its lineage, with the argument expressions (which may read tables themselves) added; anything
   * else is dynamic SQL.
   */
  private StatementFacts execute(LexedStatement s) {
    PreparedSql.Executed executed = PreparedSql.executed(s.text());
    String statement = executed == null ? null : context.prepared().get(executed.name());
    if (statement == null) {
      return dynamic("EXECUTE");
    }
    StatementFacts body;
    StatementFacts arguments = null;
    try {
      body = inner.apply(Lexer.tokenize(statement));
      if (executed.arguments() != null && !executed.arguments().isBlank()) {
        arguments = inner.apply(Lexer.tokenize("SELECT " + executed.arguments()));
      }
    } catch (LexException e) {
      StatementFacts failed = StatementFacts.of("EXECUTE", StatementClass.UNKNOWN);
      failed.flags.add(RiskFlag.PARSE_FAILURE);
      return failed;
    }
    StatementFacts facts = StatementFacts.of("EXECUTE", body.statementClass);
    facts.absorb(body);
    facts.outputColumns = body.outputColumns;
    if (arguments != null) {
      facts.absorb(arguments);
    }
    return facts;
  }

  /** CALL runs a procedure: analysed as the call expression, so the procedure is a function. */
  private StatementFacts call(LexedStatement s) {
    List<Token> select = new ArrayList<>();
    Token first = s.at(0);
    select.add(new Token(TokenType.WORD, "select", first.start(), first.end(), false));
    select.addAll(s.tokens().subList(1, s.size()));
    StatementFacts body = inner.apply(select);
    StatementFacts facts = StatementFacts.of("CALL", StatementClass.WRITE);
    facts.absorb(body);
    if (body.statementClass == StatementClass.UNKNOWN || body.functions.isEmpty()) {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
    }
    return facts;
  }

  private static StatementFacts discard(LexedStatement s) {
    StatementFacts facts = StatementFacts.of("DISCARD", StatementClass.SESSION);
    if (s.wordsAt(1, "all")) {
      // Settings go back to their values at connection start, where the gateway puts its
      // obligations (read-only, statement timeout as startup options): nothing is loosened, and
      // the front end forgets what it tracked (cursors, prepared statements, search_path).
      facts.commandTag = "DISCARD ALL";
    }
    return facts;
  }

  private StatementFacts lock(LexedStatement s) {
    // ACCESS SHARE is the lock every SELECT takes (pg_dump locks each table it dumps so): a read
    // of the tables. Any other mode, or none (ACCESS EXCLUSIVE), locks out readers or writers.
    StatementFacts facts =
        accessShare(s)
            ? StatementFacts.of("LOCK TABLE", StatementClass.READ)
            : StatementFacts.of("LOCK TABLE", StatementClass.WRITE);
    if (facts.statementClass == StatementClass.WRITE) {
      facts.flags.add(RiskFlag.LOCKING_READ);
    }
    int i = s.wordsAt(1, "table") ? 2 : 1;
    for (TableName name : TableName.list(s, i, Set.of("in", "nowait"), context)) {
      facts.tablesRead.add(name.ref());
    }
    return facts;
  }

  /** {@code LOCK [TABLE] names IN ACCESS SHARE MODE [NOWAIT]}, and nothing after. */
  private static boolean accessShare(LexedStatement s) {
    int in = indexOfWord(s, "in", 1);
    if (in < 0 || !s.wordsAt(in + 1, "access", "share", "mode")) {
      return false;
    }
    int end = in + 4;
    while (end < s.size() && s.at(end).isPunct(";")) {
      end++;
    }
    return end == s.size() || (s.wordsAt(end, "nowait") && end + 1 == s.size());
  }

  private StatementFacts declare(LexedStatement s) {
    int f = indexOfWord(s, "for", 2);
    if (f < 0 || f + 1 >= s.size() || indexOfWord(s, "cursor", 2) < 0) {
      return null;
    }
    StatementFacts body = inner.apply(s.tokens().subList(f + 1, s.size()));
    StatementFacts facts = StatementFacts.of("DECLARE CURSOR", body.statementClass);
    facts.absorb(body);
    return facts;
  }

  private StatementFacts fetch(LexedStatement s) {
    String tag = s.at(0).value().toUpperCase();
    StatementFacts facts = StatementFacts.of(tag, StatementClass.SESSION);
    String query = context.cursors().get(String.valueOf(Cursors.fetched(s.text())));
    if (query == null) {
      // A cursor this session did not declare here: whatever it runs was never judged (a protocol
      // portal shares the cursors' names), and its rows' lineage is unknown.
      facts.flags.add(RiskFlag.UNDECLARED_CURSOR);
      if (tag.equals("FETCH")) {
        facts.flags.add(RiskFlag.OPAQUE_LINEAGE);
      }
      return facts;
    }
    if (!tag.equals("FETCH")) {
      return facts; // MOVE of a declared cursor: a query the session declared, no rows out
    }
    // A cursor the session declared: its rows are the declared query's, judged and masked as such.
    StatementFacts body;
    try {
      body = inner.apply(Lexer.tokenize(query));
    } catch (LexException e) {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
      return facts;
    }
    StatementFacts fetched = StatementFacts.of("FETCH", body.statementClass);
    fetched.absorb(body);
    fetched.outputColumns = body.outputColumns;
    return fetched;
  }

  private StatementFacts truncate(LexedStatement s) {
    StatementFacts facts = StatementFacts.of("TRUNCATE TABLE", StatementClass.DDL);
    int i = s.wordsAt(1, "table") ? 2 : 1;
    for (TableName name :
        TableName.list(s, i, Set.of("restart", "continue", "cascade", "restrict"), context)) {
      facts.tablesWritten.add(name.ref());
    }
    return facts;
  }

  private static StatementFacts grant(LexedStatement s) {
    String tag = s.at(0).value().toUpperCase();
    // GRANT ... ON object changes object privileges; GRANT role TO role is role administration.
    return indexOfWord(s, "on", 1) >= 0
        ? StatementFacts.of(tag, StatementClass.DDL)
        : admin(tag + " ROLE");
  }

  private static StatementFacts administration(LexedStatement s) {
    Token object = s.at(1);
    int i = 1;
    while (object != null
        && (object.isWord("or") || object.isWord("replace") || object.isWord("default"))) {
      object = s.at(++i);
    }
    if (object != null
        && object.type() == TokenType.WORD
        && ADMIN_OBJECTS.contains(object.value())) {
      StatementFacts facts = admin(CommandTags.ddl(s));
      if (object.isWord("system")) {
        // ALTER SYSTEM changes the server's configuration file: a protected pseudo-setting, so
        // only a grant that names `alter_system` allows it, whatever classes it grants.
        facts.flags.add(RiskFlag.SETTING_CHANGE);
        facts.settings.put("alter_system", SettingStatements.values(s, i + 1));
        facts.literalSensitive = true;
      }
      return facts;
    }
    return null;
  }

  static int indexOfWord(LexedStatement s, String word, int from) {
    for (int i = from; i < s.size(); i++) {
      if (s.at(i).isWord(word)) {
        return i;
      }
    }
    return -1;
  }
}
