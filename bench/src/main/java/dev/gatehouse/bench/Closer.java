package dev.gatehouse.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a part started, stopped in reverse order when the part ends, whether it succeeded or not; a
 * failure to stop one thing is reported and does not keep the others running.
 */
final class Closer implements AutoCloseable {

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  <T extends AutoCloseable> T add(T resource) {
    opened.push(resource);
    return resource;
  }

  @Override
  public void close() {
    while (!opened.isEmpty()) {
      AutoCloseable next = opened.pop();
      try {
        next.close();
      } catch (Exception e) {
        System.err.println("bench: could not stop " + next + ": " + e);
      }
    }
  }
}
