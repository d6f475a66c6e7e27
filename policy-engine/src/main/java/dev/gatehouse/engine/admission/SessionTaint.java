package dev.gatehouse.engine.admission;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What a session has read that the policy distrusts (its {@code taint} section): held by the front
 * end for as long as its session lives, read and marked by admission.
 */
public interface SessionTaint {

  /** The first untrusted column the session read ({@code schema.table.column}), or null. */
  String source();

  /** Records that the session read {@code column}; the first one read is kept. */
  void mark(String column);

  /** A taint held in memory, for one session. */
  static SessionTaint inMemory() {
    AtomicReference<String> first = new AtomicReference<>();
    return new SessionTaint() {
      @Override
      public String source() {
        return first.get();
      }

      @Override
      public void mark(String column) {
        first.compareAndSet(null, column);
      }
    };
  }
}
