package dev.gatehouse.slack.testing;

import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.slack.outbox.SlackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SlackStore} that counts what the outbox did with each request's jobs, so a test can wait
 * for "the bot handled it" before asserting that nothing (more) reached Slack.
 */
public final class ObservedSlackStore implements SlackStore {

  private final SlackStore store;
  private final Map<String, AtomicInteger> finished = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> retried = new ConcurrentHashMap<>();

  public ObservedSlackStore(SlackStore store) {
    this.store = store;
  }

  /** Jobs of this kind for the request that the outbox has finished (delivered or given up). */
  public int finished(UUID requestId, JobKind kind) {
    AtomicInteger n = finished.get(requestId + "/" + kind);
    return n == null ? 0 : n.get();
  }

  /** Jobs for the request that failed and were put back for later. */
  public int retried(UUID requestId) {
    AtomicInteger n = retried.get(requestId);
    return n == null ? 0 : n.get();
  }

  @Override
  public Optional<PostedMessage> message(UUID requestId) {
    return store.message(requestId);
  }

  @Override
  public void saveMessage(PostedMessage message) {
    store.saveMessage(message);
  }

  @Override
  public List<PostedMessage> messagesShowing(ApprovalState state) {
    return store.messagesShowing(state);
  }

  @Override
  public Optional<ApprovalState> requesterNotified(UUID requestId) {
    return store.requesterNotified(requestId);
  }

  @Override
  public void markRequesterNotified(UUID requestId, ApprovalState state) {
    store.markRequesterNotified(requestId, state);
  }

  @Override
  public void enqueue(UUID requestId, JobKind kind, Instant now) {
    store.enqueue(requestId, kind, now);
  }

  @Override
  public List<Job> lease(Instant now, Duration lease, int limit) {
    return store.lease(now, lease, limit);
  }

  @Override
  public void done(Job job) {
    store.done(job);
    finished
        .computeIfAbsent(job.requestId() + "/" + job.kind(), k -> new AtomicInteger())
        .incrementAndGet();
  }

  @Override
  public void retryAt(Job job, Instant next, String error) {
    store.retryAt(job, next, error);
    retried.computeIfAbsent(job.requestId(), k -> new AtomicInteger()).incrementAndGet();
  }
}
