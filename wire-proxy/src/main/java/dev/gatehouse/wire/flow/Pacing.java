package dev.gatehouse.wire.flow;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * How a flow holds and resumes the reading of the client's messages: one of the session's roles, so
 * a flow sees only what it uses ({@link Session} implements them all).
 */
interface Pacing {

  /** Stops taking client messages until {@link #resume()}; the event loop stays free. */
  void suspend();

  /** Takes client messages again (on the loop, from any thread). */
  void resume();

  /** Runs {@code step} on the event loop when {@code future} completes. */
  <T> void whenDone(CompletableFuture<T> future, BiConsumer<T, Throwable> step);

  /** True once the client went away or the session ended. */
  boolean closed();

  /** Reads the client again when nothing stops it. */
  void maybeReadClient();

  /**
   * True when the client's messages received and not yet taken hold, before their next Sync,
   * anything but Flush and another Execute of {@code portal} (which runs nothing once the portal is
   * at its end): a statement after the current one in its pipeline.
   */
  boolean moreBeforeSync(String portal);
}
