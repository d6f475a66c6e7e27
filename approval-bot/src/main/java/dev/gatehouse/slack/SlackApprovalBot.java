package dev.gatehouse.slack;

import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.slack.api.SlackApi;
import dev.gatehouse.slack.audit.SlackAuditLog;
import dev.gatehouse.slack.config.SlackBotConfig;
import dev.gatehouse.slack.identity.SlackIdentityResolver;
import dev.gatehouse.slack.interaction.SlackInteractionHandler;
import dev.gatehouse.slack.interaction.SlackSignature;
import dev.gatehouse.slack.outbox.SlackOutbox;
import dev.gatehouse.slack.outbox.SlackStore;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Slack approval bot, wired: hand {@link #notifier()} to the approval service, mount {@link
 * #interactionHandler()} on the interactivity URL, then {@link #start} with the service.
 *
 * <pre>
 *   bot = new SlackApprovalBot(config, store, approverPolicy, auditLog, clock);
 *   service = new JdbcApprovalService(..., bot.notifier(), ...);
 *   bot.start(service);
 *   http POST /slack/interactions -> bot.interactionHandler().handle(body, headers)
 * </pre>
 */
public final class SlackApprovalBot implements AutoCloseable {

  private final SlackApi slack;
  private final SlackOutbox outbox;
  private final SlackApprovalNotifier notifier;
  private final SlackInteractionHandler handler;
  private final ThreadPoolExecutor clicks;
  private volatile ApprovalService approvals;

  public SlackApprovalBot(
      SlackBotConfig config,
      SlackStore store,
      ApproverPolicy approverPolicy,
      SlackAuditLog audit,
      Clock clock) {
    this.slack = new SlackApi(config);
    this.outbox = new SlackOutbox(config, slack, store, clock);
    this.notifier = new SlackApprovalNotifier(outbox);
    AtomicInteger n = new AtomicInteger();
    // Few threads and a bounded queue: a flood of clicks gets 503 (Slack retries) not memory.
    this.clicks =
        new ThreadPoolExecutor(
            2,
            2,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            r -> {
              Thread t = new Thread(r, "gatehouse-slack-click-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.handler =
        new SlackInteractionHandler(
            new SlackSignature(config.signingSecret(), config.replayWindow(), clock),
            slack,
            new SlackIdentityResolver(config, slack, clock),
            approverPolicy,
            outbox,
            audit,
            this::approvals,
            clicks,
            clock);
  }

  /** The notifier to give the approval service; usable before {@link #start}. */
  public ApprovalNotifier notifier() {
    return notifier;
  }

  /** The interactivity endpoint's logic; clicks are refused until {@link #start}. */
  public SlackInteractionHandler interactionHandler() {
    return handler;
  }

  /** Starts delivering messages and taking clicks for {@code service}. */
  public void start(ApprovalService service) {
    if (approvals != null) {
      throw new IllegalStateException("the slack bot is already started");
    }
    approvals = service;
    outbox.start(service);
  }

  public void stop() {
    close();
  }

  @Override
  public void close() {
    outbox.close();
    clicks.shutdownNow();
    slack.close();
  }

  private ApprovalService approvals() {
    ApprovalService service = approvals;
    if (service == null) {
      throw new IllegalStateException("the slack bot is not started");
    }
    return service;
  }
}
