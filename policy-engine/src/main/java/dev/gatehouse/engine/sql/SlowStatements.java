package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.cache.BoundedCache;
import java.time.Duration;

/**
 * Statements (by fingerprint) whose parse ran past the deadline, remembered for a while so that a
 * repeat is refused without parsing again. Bounded, least recently used out; entries expire so that
 * a statement slowed by a busy machine is not refused for ever.
 */
final class SlowStatements {

  private final Duration memory;
  private final BoundedCache<String, Long> until;

  SlowStatements(int capacity, Duration memory) {
    this.memory = memory;
    this.until = new BoundedCache<>(capacity);
  }

  void remember(String fingerprint) {
    if (!memory.isZero()) {
      until.put(fingerprint, System.nanoTime() + memory.toNanos());
    }
  }

  boolean remembered(String fingerprint) {
    Long expiry = until.get(fingerprint);
    if (expiry == null) {
      return false;
    }
    if (System.nanoTime() - expiry >= 0) {
      until.remove(fingerprint);
      return false;
    }
    return true;
  }
}
