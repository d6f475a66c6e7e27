package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.approval.ApprovalStore.Stored;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callers of this instance waiting for a decision. They are woken when a notification names
 * their request (or, while notifications are lost, by polling); the database is read off the
 * caller's thread.
 */
final class ApprovalWaiters {

  private static final Logger log = LoggerFactory.getLogger(ApprovalWaiters.class);

  private final ApprovalStore store;
  private final ScheduledExecutorService scheduler;
  private final Map<UUID, List<CompletableFuture<ApprovalRequest>>> waiting =
      new ConcurrentHashMap<>();

  ApprovalWaiters(ApprovalStore store, ScheduledExecutorService scheduler) {
    this.store = store;
    this.scheduler = scheduler;
  }

  CompletableFuture<ApprovalRequest> await(UUID id, Duration timeout) {
    CompletableFuture<ApprovalRequest> f = new CompletableFuture<>();
    waiting.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(f);
    f.whenComplete((r, e) -> remove(id, f));
    // Registered first, then checked: a decision committed in between is not missed.
    scheduler.execute(() -> checkNow(id, f));
    scheduler.schedule(
        () -> {
          try {
            store.find(id).ifPresent(s -> f.complete(s.request()));
          } catch (SQLException e) {
            f.completeExceptionally(
                new ApprovalException(
                    "cannot read approval request `" + id + "`: " + e.getMessage()));
          }
        },
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    return f;
  }

  private void checkNow(UUID id, CompletableFuture<ApprovalRequest> f) {
    try {
      Optional<Stored> s = store.find(id);
      if (s.isEmpty()) {
        f.completeExceptionally(new ApprovalException("no approval request `" + id + "`"));
      } else if (s.get().request().state() != ApprovalState.PENDING) {
        f.complete(s.get().request());
      }
    } catch (SQLException e) {
      log.debug("cannot check approval request {} now: {}", id, e.getMessage());
    }
  }

  /** How many callers wait for {@code id} now. */
  int count(UUID id) {
    List<CompletableFuture<ApprovalRequest>> list = waiting.get(id);
    return list == null ? 0 : list.size();
  }

  /** A notification named {@code id}: re-read it if someone here waits for it. */
  void wake(UUID id) {
    if (!waiting.containsKey(id)) {
      return;
    }
    scheduler.execute(
        () -> {
          try {
            store.find(id).ifPresent(s -> offer(s.request()));
          } catch (SQLException e) {
            log.debug("cannot check approval request {} now: {}", id, e.getMessage());
          }
        });
  }

  /** Re-reads every waited request (after missed notifications). */
  void wakeAll() {
    Set.copyOf(waiting.keySet()).forEach(this::wake);
  }

  /** Completes every waiter of {@code r} once it is no longer pending. */
  void offer(ApprovalRequest r) {
    if (r.state() == ApprovalState.PENDING) {
      return;
    }
    List<CompletableFuture<ApprovalRequest>> list = waiting.get(r.id());
    if (list != null) {
      list.forEach(f -> f.complete(r));
    }
  }

  private void remove(UUID id, CompletableFuture<ApprovalRequest> f) {
    waiting.computeIfPresent(
        id,
        (k, list) -> {
          list.remove(f);
          return list.isEmpty() ? null : list;
        });
  }
}
