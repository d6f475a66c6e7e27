package dev.gatehouse.engine.sql;

import java.util.function.Supplier;

/**
 * A scope in which analysis and catalog reads answer from their caches or give up: admission on a
 * front end's event loop (ADR 0009, issue 15) may use what is known already, but must never parse a
 * statement or wait for a database. Whatever would have to do either throws {@link Miss}, and the
 * caller admits the statement on a worker instead, the same way; nothing was recorded by then.
 */
public final class CachedOnly {

  /** What the scope could not answer from a cache; the work must be done where it may wait. */
  public static final class Miss extends RuntimeException {
    Miss(String what) {
      super(what + " is not cached", null, false, false);
    }
  }

  private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

  private CachedOnly() {}

  /** Runs {@code work} in the scope; a {@link Miss} inside it reaches the caller. */
  public static <T> T call(Supplier<T> work) {
    if (Boolean.TRUE.equals(ACTIVE.get())) {
      return work.get();
    }
    ACTIVE.set(Boolean.TRUE);
    try {
      return work.get();
    } finally {
      ACTIVE.remove();
    }
  }

  /** Throws {@link Miss} inside the scope: {@code what} would parse or wait here. */
  public static void check(String what) {
    if (Boolean.TRUE.equals(ACTIVE.get())) {
      throw new Miss(what);
    }
  }

  /** True for a {@link Miss}: the catch-alls of deciding rethrow it rather than refuse. */
  public static boolean isMiss(Throwable e) {
    return e instanceof Miss;
  }
}
