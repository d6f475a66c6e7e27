package dev.gatehouse.testkit;

import java.time.Duration;

/**
 * Waits for a condition that no event announces (a row committed by another process, a flag a
 * background thread sets), checking it until a deadline. Use it only for "this will happen": a
 * claim that something did not happen needs an event that proves it would have by then.
 */
public final class Eventually {

  /** A condition that may need I/O to check. */
  @FunctionalInterface
  public interface Condition {
    boolean met() throws Exception;
  }

  /** How often a condition is checked: short enough not to slow a test down. */
  private static final long POLL_MILLIS = 10;

  private Eventually() {}

  /** Returns once {@code condition} holds; fails naming {@code what} if it does not in time. */
  public static void await(String what, Duration timeout, Condition condition) {
    if (!holdsWithin(timeout, condition)) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
  }

  /** Whether {@code condition} held before {@code timeout}; checks it at least once. */
  public static boolean holdsWithin(Duration timeout, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.met()) {
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } catch (Exception e) {
        throw new AssertionError("checking the condition failed", e);
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        // The one poll interval of the test suites: nothing to wait on but the condition itself.
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
