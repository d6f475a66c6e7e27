package dev.gatehouse.wire.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers the client is owed, in the order its requests (and the gateway's own) went upstream:
 * the upstream answers the head first, and the gateway's own answers wait their turn behind it.
 */
final class Owed {

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  /** A request went upstream (or the gateway will answer one itself): its answer is owed last. */
  void expect(Pending answer) {
    queue.add(answer);
  }

  void expectAll(List<Pending> answers) {
    queue.addAll(answers);
  }

  /** The request the next upstream answer belongs to, or null when nothing is owed. */
  Pending next() {
    return queue.peek();
  }

  /** The head request was answered in full. */
  Pending answered() {
    return queue.poll();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Nothing more will be answered (client or upstream gone): what was still owed. */
  List<Pending> abandon() {
    List<Pending> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }
}
