package dev.gatehouse.engine.sql;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statements (by fingerprint) whose parse ran past the deadline, remembered for a while so that a
 * repeat is refused without parsing again. Bounded, least recently used out; entries expire so that
 * a statement slowed by a busy machine is not refused for ever.
 */
final class SlowStatements {

  private final Duration memory;
  private final Map<String, Long> until;

  SlowStatements(int capacity, Duration memory) {
    this.memory = memory;
    this.until =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void remember(String fingerprint) {
    if (!memory.isZero()) {
      until.put(fingerprint, System.nanoTime() + memory.toNanos());
    }
  }

  synchronized boolean remembered(String fingerprint) {
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
