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
