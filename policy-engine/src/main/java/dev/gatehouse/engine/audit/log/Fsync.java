package dev.gatehouse.engine.audit.log;

import java.util.Locale;

/** When the local audit log forces its writes to disk; see ADR 0004, decision 11. */
public enum Fsync {
  /** Every batch is forced before its callers continue. */
  ALWAYS,
  /** Callers continue after the write; a force follows within the configured bound. */
  INTERVAL,
  /** Never forced by the gateway (only when a segment is closed); the OS writes back. */
  NEVER;

  /** Reads {@code always}, {@code interval} or {@code never}. */
  public static Fsync parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "audit log fsync `" + text + "` is not one of `always`, `interval`, `never`");
    }
  }
}
