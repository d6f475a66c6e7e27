package dev.gatehouse.engine.approval;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The callers waiting for a decision, by request id. */
final class ApprovalWaiters {

  private final Map<UUID, List<CompletableFuture<ApprovalRequest>>> waiting =
      new ConcurrentHashMap<>();

  void add(UUID id, CompletableFuture<ApprovalRequest> f) {
    waiting.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(f);
    f.whenComplete((r, e) -> remove(id, f));
  }

  boolean isWaited(UUID id) {
    return waiting.containsKey(id);
  }

  Set<UUID> ids() {
    return Set.copyOf(waiting.keySet());
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
