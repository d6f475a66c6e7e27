package dev.gatehouse.engine.sql;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Per-owner shares of a pool: an owner holds at most {@code perOwner} slots at once. Idle owners
 * leave no entry behind, so the map is as large as the set of owners parsing right now.
 */
final class OwnerSlots {

  /** A held slot; release it exactly once. */
  interface Slot {
    void release();
  }

  private static final Slot UNBOUNDED = () -> {};

  private final int perOwner;
  private final ConcurrentHashMap<String, Share> shares = new ConcurrentHashMap<>();

  private static final class Share {
    final Semaphore permits;
    int users;

    Share(int perOwner) {
      permits = new Semaphore(perOwner, true);
    }
  }

  OwnerSlots(int perOwner) {
    if (perOwner < 1) {
      throw new IllegalArgumentException("`analysis.parses-per-principal` must be at least 1");
    }
    this.perOwner = perOwner;
  }

  /** A slot of {@code owner}'s share within {@code wait}, or null; no owner means no share. */
  Slot acquire(String owner, Duration wait) throws InterruptedException {
    if (owner == null) {
      return UNBOUNDED;
    }
    // Users are counted inside the map's atomic compute, so a share is never dropped while in use.
    Share share =
        shares.compute(
            owner,
            (k, s) -> {
              Share held = s == null ? new Share(perOwner) : s;
              held.users++;
              return held;
            });
    boolean acquired = false;
    try {
      acquired = share.permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      if (!acquired) {
        leave(owner, share);
      }
    }
    if (!acquired) {
      return null;
    }
    return () -> {
      share.permits.release();
      leave(owner, share);
    };
  }

  private void leave(String owner, Share share) {
    shares.computeIfPresent(
        owner,
        (k, s) -> {
          s.users--;
          return s.users == 0 ? null : s;
        });
  }

  /** Owners with a statement parsing or waiting, for tests. */
  int activeOwners() {
    return shares.size();
  }
}
