package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Splitter;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The search_path PostgreSQL will use, followed through transactions as PostgreSQL keeps a setting:
 * a SET inside a transaction is undone by ROLLBACK and by ROLLBACK TO a savepoint taken before it,
 * SET LOCAL lasts until the transaction ends, and a failed implicit transaction (a message of
 * several statements, or the extended protocol up to Sync) undoes its SETs (red-team R10b: after
 * {@code BEGIN; SET search_path = information_schema; ROLLBACK} the gateway analysed unqualified
 * names in a schema PostgreSQL no longer used). When it cannot tell, the path is empty, so an
 * unqualified name resolves nowhere and is refused until the client sets the path again.
 */
final class PathTracker {

  private record Savepoint(String name, List<String> sessionLevel, List<String> current) {}

  private final List<String> initial;
  private List<String> committed;
  private List<String> sessionLevel;
  private List<String> current;
  private final Deque<Savepoint> savepoints = new ArrayDeque<>();
  private boolean inTransaction;

  /** A statement failed in the transaction: its COMMIT is a ROLLBACK (PostgreSQL's too). */
  private boolean aborted;

  PathTracker(List<String> initial) {
    this.initial = initial;
    this.committed = initial;
    this.sessionLevel = initial;
    this.current = initial;
  }

  List<String> current() {
    return current;
  }

  /**
   * Whether every way the open block can end (COMMIT, ROLLBACK, ROLLBACK TO any savepoint) leaves
   * the path as it is now; true outside a block. When not, the statements a message sends after
   * such an end cannot be placed by the analyser (red-team round 22: {@code SET LOCAL search_path}
   * in one message, then {@code COMMIT; SELECT … FROM customers} in the next).
   */
  boolean settled() {
    if (!inTransaction) {
      return true;
    }
    if (!current.equals(sessionLevel) || !sessionLevel.equals(committed)) {
      return false;
    }
    for (Savepoint p : savepoints) {
      if (!p.current().equals(current) || !p.sessionLevel().equals(current)) {
        return false;
      }
    }
    return true;
  }

  /** The upstream reported search_path (ParameterStatus): the truth, whatever was modelled. */
  void reported(List<String> value) {
    committed = value;
    sessionLevel = value;
    current = value;
  }

  /** A statement that PostgreSQL completed. */
  void completed(StatementInfo s) {
    if (!inTransaction) {
      inTransaction = true;
      committed = sessionLevel;
    }
    String tag = s.commandTag();
    switch (tag) {
      case "COMMIT" -> {
        end(!aborted);
        chain(s);
      }
      case "ROLLBACK" -> {
        rollback(s);
        chain(s);
      }
      case "SAVEPOINT" -> savepoint(s);
      case "RELEASE" -> release(s);
      case "DISCARD ALL" -> {
        committed = initial;
        sessionLevel = initial;
        current = initial;
      }
      default -> set(s);
    }
  }

  /** A statement failed: its transaction, explicit or implicit, will be undone. */
  void failed() {
    if (!inTransaction) {
      inTransaction = true;
      committed = sessionLevel;
    }
    aborted = true;
  }

  /** The gateway rolled the transaction back itself (a COMMIT of a block it had aborted). */
  void rolledBack() {
    end(false);
  }

  /** ReadyForQuery with the upstream's transaction status. */
  void ready(char status) {
    if (status == ReadyForQuery.IDLE && inTransaction) {
      end(!aborted);
    }
    if (status != ReadyForQuery.IDLE && !inTransaction) {
      // a block begun by a statement not followed here: it holds the values of now
      inTransaction = true;
      committed = sessionLevel;
    }
  }

  private void set(StatementInfo s) {
    String value = s.settings().get("search_path");
    if (value == null) {
      return;
    }
    // An empty value (pg_dump's set_config('search_path', '', false)) is an empty path: only
    // pg_catalog resolves unqualified names, never the default's public.
    boolean reset = s.commandTag().startsWith("RESET") || value.equalsIgnoreCase("default");
    List<String> path = reset ? initial : SearchPath.parse(value);
    if (!isLocal(s)) {
      sessionLevel = path;
    }
    current = path;
  }

  private void end(boolean commit) {
    if (commit) {
      committed = sessionLevel;
    } else {
      sessionLevel = committed;
    }
    current = sessionLevel;
    savepoints.clear();
    inTransaction = false;
    aborted = false;
  }

  private void rollback(StatementInfo s) {
    List<Token> t = tokens(s);
    int to = indexOf(t, "to");
    if (to < 0) {
      end(false);
      return;
    }
    String name = name(t, to + 1);
    if (name == null) {
      unknown();
      return;
    }
    for (Iterator<Savepoint> it = savepoints.iterator(); it.hasNext(); ) {
      Savepoint p = it.next();
      if (name.equals(p.name())) {
        sessionLevel = p.sessionLevel();
        current = p.current();
        aborted = false; // the failed part is undone; the block goes on
        return;
      }
      it.remove(); // savepoints taken after the one rolled back to are gone
    }
    unknown();
  }

  private void savepoint(StatementInfo s) {
    String name = name(tokens(s), 1);
    savepoints.push(new Savepoint(name, sessionLevel, current));
  }

  private void release(StatementInfo s) {
    List<Token> t = tokens(s);
    String name = name(t, 1);
    while (!savepoints.isEmpty()) {
      if (java.util.Objects.equals(savepoints.pop().name(), name) && name != null) {
        return;
      }
    }
    unknown();
  }

  /** Fail closed: nothing unqualified resolves until the client sets search_path again. */
  private void unknown() {
    committed = List.of();
    sessionLevel = List.of();
    current = List.of();
    savepoints.clear();
  }

  /** {@code COMMIT AND CHAIN}, {@code ROLLBACK AND CHAIN}: a new block begins at once. */
  private void chain(StatementInfo s) {
    List<Token> t = tokens(s);
    int chain = indexOf(t, "chain");
    if (chain > 0 && !t.get(chain - 1).isWord("no")) {
      inTransaction = true;
      committed = sessionLevel;
    }
  }

  private static boolean isLocal(StatementInfo s) {
    List<Token> t = tokens(s);
    return t.size() > 1 && t.get(0).isWord("set") && t.get(1).isWord("local");
  }

  private static List<Token> tokens(StatementInfo s) {
    try {
      List<LexedStatement> statements = Splitter.split(s.sql());
      return statements.isEmpty() ? List.of() : statements.getFirst().tokens();
    } catch (LexException e) {
      return List.of();
    }
  }

  private static int indexOf(List<Token> t, String word) {
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).isWord(word)) {
        return i;
      }
    }
    return -1;
  }

  /** The savepoint name at {@code i}, after an optional SAVEPOINT key word; null if none. */
  private static String name(List<Token> t, int i) {
    if (i < t.size() && t.get(i).isWord("savepoint")) {
      i++;
    }
    return i < t.size() && t.get(i).isIdentifier() ? t.get(i).value() : null;
  }
}
