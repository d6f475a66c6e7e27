package dev.gatehouse.engine.audit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails a statement record's durability future that is not complete within the durable timeout
 * ({@link TimeoutException}, as {@link CompletableFuture#orTimeout} would). One thread looks at the
 * oldest record waiting every tick (a twentieth of the timeout, 5 to 100 ms), so a record fails up
 * to one tick after its timeout. A timer task per record (orTimeout) woke the common pool's delay
 * scheduler thread twice per statement under load: about 11,000 futex calls a second on this 2-core
 * machine, more than the four event loops together (issue 15).
 */
final class DurableDeadlines implements AutoCloseable {

  private record Waiting(long deadline, CompletableFuture<?> future) {}

  private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
  private final long timeoutNanos;
  private final long tickNanos;
  private final Thread thread;
  private volatile boolean running = true;

  DurableDeadlines(Duration timeout, String name) {
    this.timeoutNanos = timeout.toNanos();
    this.tickNanos = Duration.ofMillis(Math.clamp(timeout.toMillis() / 20, 5, 100)).toNanos();
    this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
  }

  /** {@code future}, failed with a TimeoutException if it is not complete within the timeout. */
  <T> CompletableFuture<T> watch(CompletableFuture<T> future) {
    if (!future.isDone()) {
      waiting.add(new Waiting(System.nanoTime() + timeoutNanos, future));
    }
    return future;
  }

  /** Futures watched and not yet complete nor failed (tests). */
  int watched() {
    return (int) waiting.stream().filter(w -> !w.future().isDone()).count();
  }

  private void run() {
    while (running) {
      expire(System.nanoTime());
      LockSupport.parkNanos(tickNanos);
    }
  }

  /**
   * Drops the complete futures at the head and fails the overdue ones. Every future has the same
   * timeout, so the head is the oldest; one completed out of order waits behind it, no longer than
   * the timeout.
   */
  synchronized void expire(long now) {
    for (Waiting w = waiting.peek(); w != null; w = waiting.peek()) {
      if (!w.future().isDone() && now - w.deadline() < 0) {
        return;
      }
      waiting.poll();
      if (!w.future().isDone()) {
        w.future().completeExceptionally(new TimeoutException());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
  }
}
