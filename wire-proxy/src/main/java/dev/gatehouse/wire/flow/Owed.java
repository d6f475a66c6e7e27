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

  /** A request went upstream (or the gateway will answer one itself): its answer is owed last. */
  void expect(Pending answer) {
    queue.add(answer);
    if (running(answer)) {
      slot.owed();
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
    if (head != null && running(head)) {
      slot.answered();
    }
    return head;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /**
   * True while a statement that may change what the next one means is owed: a setting (the
   * search_path above all), a cursor, a prepared statement or anything that resets them. The
   * session tracks those as their statements complete, so a Parse admitted before then would be
   * analysed in the old context (red-team round 12: SET search_path = app and a SELECT of {@code
   * customers} in one pipeline were decided and recorded as information_schema.customers).
   */
  boolean contextChangeOwed() {
    for (Pending p : queue) {
      if (p instanceof Pending.Run(StatementRun run) && changesContext(run)) {
        return true;
      }
    }
    return false;
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

  private static final java.util.Set<String> CONTEXT_TAGS =
      java.util.Set.of(
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

  /** Nothing more will be answered (client or upstream gone): what was still owed. */
  List<Pending> abandon() {
    List<Pending> left = new ArrayList<>(queue);
    queue.clear();
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
