package dev.gatehouse.slack.outbox;

import dev.gatehouse.engine.approval.ApprovalState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link SlackStore} in memory, for a single gateway instance without a control database: what is
 * owed to Slack is lost on restart, but the requests themselves live in the approval service.
 */
public final class InMemorySlackStore implements SlackStore {

  private record Key(UUID requestId, JobKind kind) {}

  private static final class Entry {
    long version;
    int attempts;
    Instant due;
    Instant leasedUntil;
  }

  private final Map<UUID, PostedMessage> messages = new HashMap<>();
  private final Map<UUID, ApprovalState> notified = new HashMap<>();
  private final Map<Key, Entry> jobs = new HashMap<>();

  @Override
  public synchronized Optional<PostedMessage> message(UUID requestId) {
    return Optional.ofNullable(messages.get(requestId));
  }

  @Override
  public synchronized void saveMessage(PostedMessage message) {
    messages.put(message.requestId(), message);
  }

  @Override
  public synchronized List<PostedMessage> messagesShowing(ApprovalState state) {
    return messages.values().stream().filter(m -> m.shownState() == state).toList();
  }

  @Override
  public synchronized Optional<ApprovalState> requesterNotified(UUID requestId) {
    return Optional.ofNullable(notified.get(requestId));
  }

  @Override
  public synchronized void markRequesterNotified(UUID requestId, ApprovalState state) {
    notified.put(requestId, state);
  }

  @Override
  public synchronized void enqueue(UUID requestId, JobKind kind, Instant now) {
    Entry e = jobs.computeIfAbsent(new Key(requestId, kind), k -> new Entry());
    e.version++;
    e.attempts = 0;
    e.due = now;
  }

  @Override
  public synchronized List<Job> lease(Instant now, Duration lease, int limit) {
    List<Job> result = new ArrayList<>();
    for (var e : jobs.entrySet()) {
      Entry v = e.getValue();
      if (result.size() < limit
          && !v.due.isAfter(now)
          && (v.leasedUntil == null || !v.leasedUntil.isAfter(now))) {
        v.leasedUntil = now.plus(lease);
        result.add(new Job(e.getKey().requestId(), e.getKey().kind(), v.attempts, v.version));
      }
    }
    return result;
  }

  @Override
  public synchronized void done(Job job) {
    Key key = new Key(job.requestId(), job.kind());
    Entry e = jobs.get(key);
    if (e != null && e.version == job.version()) {
      jobs.remove(key);
    } else if (e != null) {
      e.leasedUntil = null;
    }
  }

  @Override
  public synchronized void retryAt(Job job, Instant next, String error) {
    Entry e = jobs.get(new Key(job.requestId(), job.kind()));
    if (e != null) {
      e.leasedUntil = null;
      if (e.version == job.version()) {
        e.attempts = job.attempts() + 1;
        e.due = next;
      }
    }
  }

  /** Jobs not yet done, for tests and health checks. */
  public synchronized int pendingJobs() {
    return jobs.size();
  }
}
