package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import java.util.regex.Pattern;

/**
 * The session's transaction status as the client sees it: idle ({@code I}), in a block ({@code T})
 * or in a failed block ({@code E}). The upstream's ReadyForQuery sets it; a statement the gateway
 * refuses inside a block aborts the block, as any error does in PostgreSQL: until the block ends,
 * other statements fail with 25P02, the client sees {@code E}, and COMMIT rolls back. Otherwise a
 * job that hit a denial half way could still commit its first half.
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-READYFORQUERY">ReadyForQuery</a>
 */
final class TransactionGuard {

  private static final Pattern ENDS_BLOCK =
      Pattern.compile("(?is)\\s*(commit|end|rollback|abort)\\b(?!.*\\bto\\b).*");
  private static final Pattern ROLLBACK_TO = Pattern.compile("(?is)\\s*rollback\\b.*\\bto\\b.*");

  static final String MESSAGE =
      "current transaction is aborted, commands ignored until end of transaction block";

  /** What to do with a statement in an aborted block. */
  enum Action {
    /** Not aborted: decide as usual. */
    DECIDE,
    /** Ends the block: send ROLLBACK instead (COMMIT of a failed block rolls back). */
    ROLLBACK,
    /** ROLLBACK TO SAVEPOINT: the block lives on; decide as usual. */
    RECOVER,
    /** Anything else: 25P02. */
    REFUSE
  }

  private char status = ReadyForQuery.IDLE;
  private boolean aborted;

  /**
   * The gateway refused a statement since the client's last ReadyForQuery. A BEGIN earlier in the
   * same pipeline opened a block the client was not told of yet: that block is aborted too
   * (red-team round 9: its ReadyForQuery said `T`, and COMMIT kept the writes before the refusal).
   */
  private boolean refusedSinceReady;

  /** The status the client was last told (or is told next by the gateway's own ReadyForQuery). */
  char status() {
    return status;
  }

  /**
   * The status for a ReadyForQuery the gateway sends itself: the client is told the status now, so
   * a refusal before it has been reported.
   */
  char told() {
    refusedSinceReady = false;
    return status;
  }

  /** True outside a transaction block. */
  boolean idle() {
    return status == ReadyForQuery.IDLE;
  }

  /** True inside a block that has not failed. */
  boolean inBlock() {
    return status == 'T';
  }

  /**
   * The client's BEGIN went upstream in a pipeline: the block is open from now on, though the
   * upstream reports it only at the Sync. A refusal before then aborts it.
   */
  void beginSent() {
    if (status == ReadyForQuery.IDLE) {
      status = 'T';
    }
  }

  /**
   * The client's COMMIT or ROLLBACK ({@code words}: its key words) went upstream in a pipeline:
   * unless it only rolls back to a savepoint, keeps the block (AND CHAIN) or names a prepared
   * transaction, the block is over from now on, though the upstream reports it only at the Sync.
   */
  void endSent(String words) {
    if (ENDS_BLOCK.matcher(words).matches()
        && !CHAIN_OR_PREPARED.matcher(words).find()
        && status != ReadyForQuery.IDLE) {
      status = ReadyForQuery.IDLE;
      aborted = false;
    }
  }

  private static final Pattern CHAIN_OR_PREPARED = Pattern.compile("(?i)\\b(chain|prepared)\\b");

  /** The gateway refused a statement: inside a block, the block is now aborted. */
  void refused() {
    refusedSinceReady = true;
    if (status != ReadyForQuery.IDLE) {
      aborted = true;
      status = 'E';
    }
  }

  /**
   * What to do with {@code sql} now; changes nothing, so a Parse can be judged before its statement
   * runs. The statement that runs takes its action: {@link #recovered()} for ROLLBACK TO (red-team
   * round 20: a Parse of ROLLBACK TO that never ran lifted the abort, and the block's COMMIT kept
   * its writes).
   */
  Action at(String sql) {
    if (!aborted) {
      return Action.DECIDE;
    }
    if (ROLLBACK_TO.matcher(sql).matches()) {
      return Action.RECOVER;
    }
    return ENDS_BLOCK.matcher(sql).matches() ? Action.ROLLBACK : Action.REFUSE;
  }

  /**
   * A ROLLBACK TO SAVEPOINT is sent in an aborted block: the block lives on, as in PostgreSQL
   * (should the savepoint not exist, the upstream's error aborts it for real).
   */
  void recovered() {
    aborted = false;
    refusedSinceReady = false;
  }

  /** True when {@code sql} ends its block AND CHAIN (not AND NO CHAIN); its words, not comments. */
  static boolean chains(String sql) {
    try {
      java.util.List<dev.gatehouse.engine.sql.lex.Token> words =
          dev.gatehouse.engine.sql.lex.Lexer.tokenize(sql).stream()
              .filter(w -> w.type() == dev.gatehouse.engine.sql.lex.TokenType.WORD)
              .toList();
      for (int i = 0; i + 1 < words.size(); i++) {
        if (words.get(i).isWord("and") && words.get(i + 1).isWord("chain")) {
          return true;
        }
      }
      return false;
    } catch (dev.gatehouse.engine.sql.lex.LexException e) {
      return false;
    }
  }

  /**
   * True when {@code sql} is one statement (a trailing semicolon allowed); false when it cannot be
   * lexed, or holds more.
   */
  static boolean alone(String sql) {
    try {
      return dev.gatehouse.engine.sql.lex.Splitter.split(sql).size() <= 1;
    } catch (RuntimeException | dev.gatehouse.engine.sql.lex.LexException e) {
      return false;
    }
  }

  /** True while the block is aborted here: statements but ROLLBACK (TO) and COMMIT fail. */
  boolean aborted() {
    return aborted;
  }

  /**
   * The upstream reported {@code upstream} in its ReadyForQuery; returns the status to report to
   * the client: {@code E} while the block is aborted here, though the upstream's block lives on.
   */
  char ready(char upstream) {
    if (refusedSinceReady && upstream != ReadyForQuery.IDLE) {
      aborted = true;
    }
    refusedSinceReady = false;
    if (upstream == ReadyForQuery.IDLE) {
      aborted = false;
    }
    status = aborted && upstream == 'T' ? 'E' : upstream;
    return status;
  }
}
