package dev.gatehouse.wire.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers the client is owed, in the order its requests (and the gateway's own) went upstream:
 * the upstream answers the head first, and the gateway's own answers wait their turn behind it.
 * Statement runs owed an answer hold the session's {@link RunningSlot}: every answer leaves through
 * here, so the slot goes back exactly when the last of them is answered or abandoned.
 */
final class Owed {

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final RunningSlot slot;

  Owed(RunningSlot slot) {
    this.slot = slot;
  }

  /**
   * How many owed answers are of each kind the waits of {@link #contextChangeOwed} and {@link
   * #namesOwedAcrossSync} look for, so that with none owed (the common case) neither walks the
   * queue, which a batch of thousands of pipelined statements makes long.
   */
  private int contextChanging;

  private int named;
  private int syncs;

  /** A request went upstream (or the gateway will answer one itself): its answer is owed last. */
  void expect(Pending answer) {
    queue.add(answer);
    if (running(answer)) {
      slot.owed();
    }
    count(answer, 1);
  }

  private void count(Pending p, int delta) {
    switch (p) {
      case Pending.Run(StatementRun run) when run != null && changesContext(run) ->
          contextChanging += delta;
      case Pending.Reply(char t, Runnable notDone, String name) when name != null -> named += delta;
      case Pending.SyncPoint s -> syncs += delta;
      case Pending.OwnTransactionEnd o -> syncs += delta;
      default -> {}
    }
  }

  void expectAll(List<Pending> answers) {
    answers.forEach(this::expect);
  }

  /** The request the next upstream answer belongs to, or null when nothing is owed. */
  Pending next() {
    return queue.peek();
  }

  /** The head request was answered in full. */
  Pending answered() {
    Pending head = queue.poll();
    if (head != null) {
      if (running(head)) {
        slot.answered();
      }
      count(head, -1);
    }
    skipIgnored();
    return head;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /**
   * True while a statement that may change what the next one means is owed: a setting (the
   * search_path above all), a cursor, a prepared statement, the end of a transaction (which ends
   * portals) or anything that resets them. The session tracks those as their statements complete,
   * so a Parse admitted before then would be analysed in the old context (red-team round 12: SET
   * search_path = app and a SELECT of {@code customers} in one pipeline were decided and recorded
   * as information_schema.customers), and a Bind, Describe, Execute or Close would use a name as it
   * was before (red-team round 16: {@code DEALLOCATE p1; PREPARE p1 AS ...} and a Bind of p1 in one
   * write ran the new p1, judged as the old).
   */
  boolean contextChangeOwed() {
    // The queue check too: a count gone wrong must never make a message wait for nothing.
    return contextChanging > 0 && !queue.isEmpty();
  }

  private static boolean changesContext(StatementRun run) {
    var analysis = run.admitted.verdict().analysis();
    if (analysis == null) {
      return true;
    }
    for (var s : analysis.statements()) {
      if (!s.settings().isEmpty()
          || s.statementClass() == null
          || s.statementClass() == dev.gatehouse.engine.sql.StatementClass.SESSION
          || CONTEXT_TAGS.contains(String.valueOf(s.commandTag()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The names ({@code S} or {@code P} and the name) of named statements and portals whose Parse or
   * Bind is owed with a Sync after it: a message after that Sync that uses one of them must wait
   * for the answer. Had PostgreSQL refused the Parse or Bind, the gateway forgets the name only
   * then; meanwhile it would judge a use of the name by what it sent, while PostgreSQL runs what it
   * kept (red-team round 16: a Parse refused 42P05, then Bind and Execute in the same write ran the
   * SQL-prepared statement of that name, judged as the refused one). In the same cycle no wait is
   * needed: after an error PostgreSQL skips everything up to the Sync. The unnamed statement and
   * portal count too (round 17: a Parse of the unnamed statement that PostgreSQL skipped after an
   * error left the earlier one in place, and a Bind of the next cycle ran it, judged as the skipped
   * one). Empty, and no allocation, in the common case.
   */
  java.util.Set<String> namesOwedAcrossSync() {
    if (named == 0 || syncs == 0 || queue.isEmpty()) {
      return java.util.Set.of();
    }
    java.util.Set<String> owed = null;
    java.util.Set<String> beforeSync = null;
    for (Pending p : queue) {
      if (p instanceof Pending.Reply(char t, Runnable notDone, String name) && name != null) {
        if (beforeSync == null) {
          beforeSync = new java.util.HashSet<>();
        }
        beforeSync.add(name);
      } else if (beforeSync != null
          && (p instanceof Pending.SyncPoint || p instanceof Pending.OwnTransactionEnd)) {
        if (owed == null) {
          owed = new java.util.HashSet<>();
        }
        owed.addAll(beforeSync);
        beforeSync.clear();
      }
    }
    return owed == null ? java.util.Set.of() : owed;
  }

  private static final java.util.Set<String> CONTEXT_TAGS =
      java.util.Set.of(
          // What ends portals and cursors (one namespace with protocol portals).
          "COMMIT",
          "ROLLBACK",
          "PREPARE TRANSACTION",
          "SET",
          "RESET",
          "DISCARD",
          "DISCARD ALL",
          "DECLARE CURSOR",
          "CLOSE CURSOR",
          "CLOSE CURSOR ALL",
          "PREPARE",
          "DEALLOCATE",
          "DEALLOCATE ALL",
          "UNKNOWN");

  /**
   * For each CopyDone or CopyFail of the client that went upstream, in order: the request last owed
   * then ({@link #NONE} when none was), which tells the CopyInResponse it ends (the first one for
   * that request or one before it). A copy end sent when no COPY was owed is stray (PostgreSQL
   * ignores it outside copy mode) and is dropped at the next CopyInResponse.
   */
  private final ArrayDeque<Object> copyEnds = new ArrayDeque<>();

  private static final Object NONE = new Object();

  /** Syncs PostgreSQL read in copy mode, which it ignores: left unanswered when they come up. */
  private final java.util.Set<Pending> ignored =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /** How many copy ends are kept: more than COPYs a pipeline has in flight, bounded for memory. */
  private static final int MAX_COPY_ENDS = 64;

  /** The client's CopyDone or CopyFail went upstream. */
  void copyEndSent() {
    if (copyEnds.size() >= MAX_COPY_ENDS) {
      // A client sending stray CopyDones without a COPY: the oldest is stray, PostgreSQL ignored
      // it.
      copyEnds.poll();
    }
    copyEnds.add(queue.isEmpty() ? NONE : queue.peekLast());
  }

  /**
   * The upstream answered the head request with CopyInResponse: a Sync the client sent after that
   * request and before the CopyDone or CopyFail that ends this copy reached PostgreSQL in copy
   * mode, where it is ignored; no ReadyForQuery answers it (red-team round 34: libpq sends Sync
   * after the Execute of a COPY and again after CopyDone, and the session waited for a second
   * ReadyForQuery forever). True when that CopyDone or CopyFail went upstream already (the client
   * sent it without waiting); the next one is then another COPY's, of the same Query (red-team
   * round 35: two COPYs in one Query, both CopyDones sent at once, took the second CopyInResponse
   * for copy mode still to come).
   */
  boolean copyInStarted() {
    while (!copyEnds.isEmpty() && !owed(copyEnds.peek())) {
      copyEnds.poll(); // answered before this copy began: it ended none of its
    }
    Object end = copyEnds.poll();
    boolean head = true;
    for (Pending p : queue) {
      if (!head && p instanceof Pending.SyncPoint) {
        ignored.add(p);
      }
      if (p == end) {
        break;
      }
      head = false;
    }
    return end != null;
  }

  private boolean owed(Object marker) {
    for (Pending p : queue) {
      if (p == marker) {
        return true;
      }
    }
    return false;
  }

  /** Drops Syncs at the head that PostgreSQL ignored in copy mode: no answer comes for them. */
  private void skipIgnored() {
    while (!ignored.isEmpty() && queue.peek() != null && ignored.remove(queue.peek())) {
      count(queue.poll(), -1);
    }
  }

  /** Nothing more will be answered (client or upstream gone): what was still owed. */
  List<Pending> abandon() {
    List<Pending> left = new ArrayList<>(queue);
    queue.clear();
    ignored.clear();
    copyEnds.clear();
    contextChanging = 0;
    named = 0;
    syncs = 0;
    left.stream().filter(Owed::running).forEach(p -> slot.answered());
    return left;
  }

  /** The answer of a statement that runs upstream (a bounded write's included). */
  private static boolean running(Pending answer) {
    return answer instanceof Pending.Run
        || answer instanceof Pending.Guarded
        || answer instanceof Pending.CopyDescribe;
  }
}
