package dev.gatehouse.slack.outbox;

import dev.gatehouse.engine.approval.ApprovalState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the bot remembers which Slack message shows which request, and what it still owes Slack
 * (the outbox). Jobs coalesce per request and kind: the message is always rendered from the
 * request's state at sending time, so one job covers any number of changes.
 */
public interface SlackStore {

  /** What the bot must do in Slack for a request. */
  enum JobKind {
    /** Post the request's message, or update it to the request's current state. */
    MESSAGE,
    /** Tell the requester the outcome in a direct message. */
    REQUESTER_DM
  }

  /**
   * A message that shows a request.
   *
   * @param shownState the request state the message showed when last written
   */
  record PostedMessage(UUID requestId, String channel, String ts, ApprovalState shownState) {}

  /**
   * A leased job.
   *
   * @param version bumped by every enqueue, so a job enqueued again while it ran is not lost
   */
  record Job(UUID requestId, JobKind kind, int attempts, long version) {}

  Optional<PostedMessage> message(UUID requestId);

  void saveMessage(PostedMessage message);

  /** Messages last written while their request was in {@code state}. */
  List<PostedMessage> messagesShowing(ApprovalState state);

  /** The last request state the requester was told about by direct message, if any. */
  Optional<ApprovalState> requesterNotified(UUID requestId);

  void markRequesterNotified(UUID requestId, ApprovalState state);

  /** Adds a job due now, or makes the existing one due now. */
  void enqueue(UUID requestId, JobKind kind, Instant now);

  /** Leases up to {@code limit} due jobs for {@code lease}; others will not see them meanwhile. */
  List<Job> lease(Instant now, java.time.Duration lease, int limit);

  /** Removes a finished job unless it was enqueued again since it was leased. */
  void done(Job job);

  /** Puts a failed job back for {@code next}. */
  void retryAt(Job job, Instant next, String error);
}
