package dev.gatehouse.engine.policy;

import java.time.Duration;

/** Durations as the policy file writes them: {@code 90s}, {@code 15m}, {@code 2h}. */
final class Durations {

  private Durations() {}

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
