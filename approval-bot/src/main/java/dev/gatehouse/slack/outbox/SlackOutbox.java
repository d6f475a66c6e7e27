package dev.gatehouse.slack.outbox;

import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.slack.api.SlackApi;
import dev.gatehouse.slack.api.SlackCallException;
import dev.gatehouse.slack.config.SlackBotConfig;
import dev.gatehouse.slack.message.ApprovalMessage;
import dev.gatehouse.slack.message.SlackText;
import dev.gatehouse.slack.outbox.SlackStore.Job;
import dev.gatehouse.slack.outbox.SlackStore.JobKind;
import dev.gatehouse.slack.outbox.SlackStore.PostedMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the bot owes Slack: posts and updates request messages and direct-messages
 * requesters, from a durable outbox on one scheduler thread. A Slack outage only delays delivery:
 * the request stays pending in the approval service (decidable from the CLI or API), and the
 * message is posted when Slack answers again, showing the request as it is by then.
 */
public final class SlackOutbox implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SlackOutbox.class);
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
  private static final int GIVE_UP_AFTER = 8;

  private final SlackBotConfig config;
  private final SlackApi slack;
  private final SlackStore store;
  private final ApprovalMessage message;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final java.util.concurrent.atomic.AtomicBoolean wakeQueued =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile ApprovalService approvals;

  public SlackOutbox(SlackBotConfig config, SlackApi slack, SlackStore store, Clock clock) {
    this.config = config;
    this.slack = slack;
    this.store = store;
    this.message = new ApprovalMessage(config.sqlPreviewChars());
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gatehouse-slack-outbox");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts delivering, reading requests from {@code service}. */
  public void start(ApprovalService service) {
    this.approvals = service;
    long every = config.outboxInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::runSafely, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Records that a request's message must be posted or brought up to date, and tries soon. */
  public void messageChanged(UUID requestId) {
    store.enqueue(requestId, JobKind.MESSAGE, clock.instant());
    wake();
  }

  /** Records that the requester should hear the outcome, if their Slack user is known. */
  public void requesterOutcome(ApprovalRequest request) {
    if (config.requesterSlackUsers().containsKey(request.requesterSubject())) {
      store.enqueue(request.id(), JobKind.REQUESTER_DM, clock.instant());
      wake();
    }
  }

  private void wake() {
    // One queued delivery run is enough however many changes arrive meanwhile.
    if (approvals != null && !scheduler.isShutdown() && wakeQueued.compareAndSet(false, true)) {
      try {
        scheduler.execute(
            () -> {
              wakeQueued.set(false);
              deliverSafely();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        wakeQueued.set(false);
      }
    }
  }

  private void deliverSafely() {
    try {
      runDue();
    } catch (RuntimeException e) {
      log.warn("slack outbox run failed: {}", e.toString());
    }
  }

  private void runSafely() {
    try {
      reconcile();
      runDue();
    } catch (RuntimeException e) {
      // The control database may be down too; the next tick tries again.
      log.warn("slack outbox run failed: {}", e.toString());
    }
  }

  /**
   * Catches what no notifier call announced (an instance died between creating a request and
   * notifying, or a request expired without a call): pending requests without a message, and
   * messages still showing buttons for requests that are no longer pending.
   */
  void reconcile() {
    Instant now = clock.instant();
    for (ApprovalRequest r : approvals.pending()) {
      if (store.message(r.id()).isEmpty()) {
        store.enqueue(r.id(), JobKind.MESSAGE, now);
      }
    }
    for (PostedMessage m : store.messagesShowing(ApprovalState.PENDING)) {
      Optional<ApprovalRequest> r = approvals.find(m.requestId());
      if (r.isEmpty() || shown(r.get(), now) != ApprovalState.PENDING) {
        store.enqueue(m.requestId(), JobKind.MESSAGE, now);
      }
    }
  }

  /** Delivers every due job once. */
  void runDue() {
    SlackCallException outage = null;
    for (Job job : store.lease(clock.instant(), LEASE, 50)) {
      if (outage != null) {
        // Slack is down: do not spend a round of retries on every job; try them all later.
        store.retryAt(job, clock.instant().plus(wait(job.attempts())), outage.getMessage());
        continue;
      }
      try {
        deliver(job);
        store.done(job);
      } catch (SlackCallException e) {
        if (!e.retryable() && job.attempts() + 1 >= GIVE_UP_AFTER) {
          log.error(
              "giving up on slack {} for request {}: {}",
              job.kind(),
              job.requestId(),
              e.getMessage());
          store.done(job);
          continue;
        }
        if (e.retryable()) {
          outage = e;
        }
        Duration wait = wait(job.attempts());
        log.warn(
            "slack {} for request {} failed, retrying in {}: {}",
            job.kind(),
            job.requestId(),
            wait,
            e.getMessage());
        store.retryAt(job, clock.instant().plus(wait), e.getMessage());
      }
    }
  }

  private Duration wait(int attempts) {
    long millis = config.outboxInterval().toMillis() << Math.min(attempts, 16);
    return Duration.ofMillis(Math.min(millis, LONGEST_WAIT.toMillis()));
  }

  private void deliver(Job job) throws SlackCallException {
    Optional<ApprovalRequest> found = approvals.find(job.requestId());
    if (found.isEmpty()) {
      log.warn(
          "slack outbox: request {} no longer exists, dropping {}", job.requestId(), job.kind());
      return;
    }
    ApprovalRequest request = found.get();
    switch (job.kind()) {
      case MESSAGE -> syncMessage(request);
      case REQUESTER_DM -> tellRequester(request);
    }
  }

  private void syncMessage(ApprovalRequest request) throws SlackCallException {
    Optional<PostedMessage> posted = store.message(request.id());
    // Each attempt renders the request as it is then, so a retry after an outage never posts a
    // state that changed while it waited.
    AtomicReference<ApprovalRequest> rendered = new AtomicReference<>(request);
    if (posted.isPresent()) {
      PostedMessage m = posted.get();
      slack.call(
          "chat.update",
          methods -> {
            ApprovalRequest now = fresh(rendered);
            return methods.chatUpdate(
                b ->
                    b.channel(m.channel())
                        .ts(m.ts())
                        .text(message.fallbackText(now))
                        .blocks(message.blocks(now, clock.instant())));
          });
      store.saveMessage(
          new PostedMessage(
              request.id(), m.channel(), m.ts(), shown(rendered.get(), clock.instant())));
      return;
    }
    ChatPostMessageResponse response =
        slack.call(
            "chat.postMessage",
            methods -> {
              ApprovalRequest now = fresh(rendered);
              return methods.chatPostMessage(
                  b ->
                      b.channel(config.channel())
                          .text(message.fallbackText(now))
                          .blocks(message.blocks(now, clock.instant()))
                          .unfurlLinks(false)
                          .unfurlMedia(false));
            });
    store.saveMessage(
        new PostedMessage(
            request.id(),
            response.getChannel(),
            response.getTs(),
            shown(rendered.get(), clock.instant())));
  }

  /** The request as the approval service has it now (or as last read if it cannot say). */
  private ApprovalRequest fresh(AtomicReference<ApprovalRequest> last) {
    try {
      approvals.find(last.get().id()).ifPresent(last::set);
    } catch (RuntimeException e) {
      log.debug("could not re-read request {}: {}", last.get().id(), e.toString());
    }
    return last.get();
  }

  /** The state a message shows: a pending request past its expiry shows as expired. */
  private static ApprovalState shown(ApprovalRequest r, Instant now) {
    return r.state() == ApprovalState.PENDING && !r.expiresAt().isAfter(now)
        ? ApprovalState.EXPIRED
        : r.state();
  }

  private void tellRequester(ApprovalRequest request) throws SlackCallException {
    String user = config.requesterSlackUsers().get(request.requesterSubject());
    if (user == null || request.state() == ApprovalState.PENDING) {
      return;
    }
    if (store.requesterNotified(request.id()).filter(s -> s == request.state()).isPresent()) {
      return;
    }
    String text =
        "Your statement on "
            + SlackText.inline(request.database(), 120)
            + " (request "
            + SlackText.inline(request.id().toString(), 64)
            + "): "
            + message.outcome(request);
    slack.call(
        "chat.postMessage",
        methods -> methods.chatPostMessage(b -> b.channel(user).text(text).mrkdwn(true)));
    store.markRequesterNotified(request.id(), request.state());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
