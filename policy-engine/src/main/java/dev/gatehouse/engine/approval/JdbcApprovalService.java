package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.approval.ApprovalStore.Stored;
import dev.gatehouse.engine.audit.ApprovalEvent.Step;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.Analysis;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval workflow in the control database. Any instance may decide any request; waiters are
 * woken by LISTEN/NOTIFY (polling only while that connection is lost); every step, refused attempts
 * included, goes to the audit trail.
 */
public final class JdbcApprovalService implements ApprovalService, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JdbcApprovalService.class);
  private static final List<String> SHOWN_CLAIMS =
      List.of("email", "name", "repository", "ref", "workflow", "job_workflow_ref", "namespace");

  private final ApprovalConfig config;
  private final ApproverPolicy approvers;
  private final Clock clock;
  private final ApprovalStore store;
  private final ApprovalWaiters waiters;
  private final ApprovalSteps steps;
  private final ApprovalWindows windows;
  private final NotifierDispatch notifiers;
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().name("gatehouse-approvals-", 0).daemon(true).factory());
  private final ApprovalListener listener;
  private final ApprovalParams params;

  private JdbcApprovalService(
      ControlDatabase db,
      ApprovalConfig config,
      ApproverPolicy approvers,
      List<ApprovalNotifier> notifiers,
      AuditTrail audit,
      Clock clock,
      ApprovalParams params) {
    this.config = config;
    this.params = Objects.requireNonNull(params, "params");
    this.approvers = Objects.requireNonNull(approvers, "approvers");
    this.clock = clock;
    String channel = db.settings().schema() + "_approvals";
    this.store = new ApprovalStore(db, channel);
    this.waiters = new ApprovalWaiters(store, scheduler);
    this.steps = new ApprovalSteps(Objects.requireNonNull(audit, "audit"), clock);
    this.windows = new ApprovalWindows(store, config.window(), clock);
    this.notifiers = new NotifierDispatch(notifiers);
    this.listener =
        new ApprovalListener(
            db::dedicatedConnection,
            channel,
            waiters::wake,
            waiters::wakeAll,
            config.reconnectBackoff());
    long sweep = config.expirySweep().toMillis();
    scheduler.scheduleWithFixedDelay(this::expireDue, sweep, sweep, TimeUnit.MILLISECONDS);
    long poll = config.pollInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::pollIfDeaf, poll, poll, TimeUnit.MILLISECONDS);
  }

  public static JdbcApprovalService start(
      ControlDatabase db,
      ApprovalConfig config,
      ApproverPolicy approvers,
      List<ApprovalNotifier> notifiers,
      AuditTrail audit,
      Clock clock) {
    return start(db, config, approvers, notifiers, audit, clock, ApprovalParams.CLEAR);
  }

  /** As above, keeping and showing parameters as {@code params} says (the audit's mode). */
  public static JdbcApprovalService start(
      ControlDatabase db,
      ApprovalConfig config,
      ApproverPolicy approvers,
      List<ApprovalNotifier> notifiers,
      AuditTrail audit,
      Clock clock,
      ApprovalParams params) {
    return new JdbcApprovalService(db, config, approvers, notifiers, audit, clock, params);
  }

  @Override
  public List<String> shownParams(List<String> values) {
    return params.shown(values);
  }

  @Override
  public ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision) {
    return request(requester, context, sql, params, decision, List.of());
  }

  @Override
  public ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision,
      Analysis analysis) {
    return request(requester, context, sql, params, decision, ApprovalWindows.classes(analysis));
  }

  private ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision,
      List<String> statementClasses) {
    if (decision.effect() != Effect.REQUIRE_APPROVAL) {
      throw new IllegalArgumentException(
          "an approval can only be requested for a statement that requires one, not `"
              + decision.effect()
              + "`");
    }
    Instant now = clock.instant();
    List<String> bound = this.params.kept(ApprovalBinding.params(params));
    ApprovalRequest r =
        new ApprovalRequest(
            UUID.randomUUID(),
            ApprovalState.PENDING,
            requester.issuer(),
            requester.subject(),
            shownClaims(requester),
            context.database(),
            ApprovalBinding.normalize(sql),
            bound.stream().map(p -> p == null ? "NULL" : p).toList(),
            decision.ruleIds(),
            decision.explanation() == null ? "" : decision.explanation(),
            now,
            now.plus(approvers.expiry(decision.ruleIds(), config.expiry())),
            null,
            null,
            null);
    try {
      store.insert(r, bound, statementClasses, context.channel().name());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store the approval request: " + e.getMessage(), e);
    }
    steps.record(r, Step.REQUESTED, requester, null);
    notifiers.created(r);
    return r;
  }

  @Override
  public CompletableFuture<ApprovalRequest> awaitDecision(UUID id, Duration timeout) {
    return waiters.await(id, timeout);
  }

  /**
   * How many callers of this instance wait for a decision on request {@code id} now: a statement
   * held for approval, or a long poll of its status.
   */
  public int waiters(UUID id) {
    return waiters.count(id);
  }

  @Override
  public Optional<ApprovalRequest> openWindow(
      Principal requester, String database, Analysis analysis) {
    return windows
        .covering(requester.issuer(), requester.subject(), database, analysis)
        .flatMap(this::find);
  }

  @Override
  public ApprovalRequest approve(UUID id, Principal approver) throws ApprovalException {
    return decide(id, approver, ApprovalState.APPROVED, null);
  }

  @Override
  public ApprovalRequest deny(UUID id, Principal approver, String reason) throws ApprovalException {
    if (reason == null || reason.isBlank()) {
      throw new ApprovalException("a denial needs a reason");
    }
    return decide(id, approver, ApprovalState.DENIED, reason.strip());
  }

  private ApprovalRequest decide(UUID id, Principal approver, ApprovalState to, String reason)
      throws ApprovalException {
    ApprovalRequest r = require(id, approver);
    if (approver.is(r.requesterIssuer(), r.requesterSubject())) {
      throw steps.refused(
          r, approver, "`" + approver.subject() + "` cannot decide their own request `" + id + "`");
    }
    if (approver.isExpired(clock.instant())) {
      throw steps.refused(r, approver, "the identity of `" + approver.subject() + "` has expired");
    }
    if (!approvers.mayApprove(approver, r)) {
      throw steps.refused(
          r, approver, "`" + approver.subject() + "` may not decide approval requests");
    }
    Instant now = clock.instant();
    requireOpen(r, approver, ApprovalState.PENDING, now);
    Optional<ApprovalRequest> done =
        transition(id, ApprovalState.PENDING, to, approver.label(), now, reason);
    if (done.isEmpty()) {
      throw steps.refused(
          require(id, approver),
          approver,
          "approval request `" + id + "` was decided by someone else first");
    }
    steps.record(
        done.get(), to == ApprovalState.APPROVED ? Step.APPROVED : Step.DENIED, approver, reason);
    notifiers.decided(done.get());
    waiters.offer(done.get());
    return done.get();
  }

  @Override
  public ApprovalRequest cancel(UUID id, String why) throws ApprovalException {
    ApprovalRequest r = require(id, null);
    Instant now = clock.instant();
    requireOpen(r, null, ApprovalState.PENDING, now);
    ApprovalRequest done =
        transition(id, ApprovalState.PENDING, ApprovalState.CANCELLED, null, now, why)
            .orElseThrow(
                () -> new ApprovalException("approval request `" + id + "` is no longer pending"));
    steps.record(done, Step.CANCELLED, null, why);
    notifiers.decided(done);
    waiters.offer(done);
    return done;
  }

  @Override
  public ApprovalRequest consume(
      UUID id, Principal requester, String database, String sql, List<String> params)
      throws ApprovalException {
    Stored s = load(id).orElseThrow(() -> steps.refusedUnknown(id, requester));
    ApprovalRequest r = s.request();
    Optional<String> mismatch =
        ApprovalBinding.mismatch(s, requester, database, sql, this.params.kept(params));
    if (mismatch.isPresent()) {
      throw steps.refused(r, requester, mismatch.get());
    }
    Instant now = clock.instant();
    requireOpen(r, requester, ApprovalState.APPROVED, now);
    ApprovalRequest used =
        transition(id, ApprovalState.APPROVED, ApprovalState.USED, null, now, null)
            .orElseThrow(
                () -> steps.refused(r, requester, "approval `" + id + "` was already used"));
    steps.record(used, Step.USED, requester, windows.openAfterUse(used, now));
    return used;
  }

  @Override
  public Optional<Channel> requestedOn(UUID id) {
    try {
      return store.requestedOn(id).map(Channel::valueOf);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read approval request `" + id + "`: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ApprovalRequest> find(UUID id) {
    return load(id).map(Stored::request);
  }

  @Override
  public List<ApprovalRequest> pending() {
    try {
      return store.pending(clock.instant());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list approval requests: " + e.getMessage(), e);
    }
  }

  /** Whether decisions made elsewhere reach this instance by notification (false: polling). */
  public boolean listening() {
    return listener.listening();
  }

  /** Drops the notification connection, as a network failure would (for tests and drills). */
  void dropNotificationConnection() {
    listener.dropConnection();
  }

  private void pollIfDeaf() {
    if (!listener.listening()) {
      waiters.wakeAll();
    }
  }

  private void requireOpen(ApprovalRequest r, Principal actor, ApprovalState expected, Instant now)
      throws ApprovalException {
    if (r.state() == expected && !now.isBefore(r.expiresAt())) {
      expireDue();
      throw steps.refused(
          r, actor, "approval request `" + r.id() + "` expired at " + r.expiresAt());
    }
    if (r.state() != expected) {
      String state = r.state().name().toLowerCase(java.util.Locale.ROOT);
      String why =
          switch (r.state()) {
            case USED -> "approval `" + r.id() + "` was already used";
            case PENDING -> "approval request `" + r.id() + "` is still pending";
            default -> "approval request `" + r.id() + "` is " + state;
          };
      throw steps.refused(r, actor, why);
    }
  }

  private void expireDue() {
    try {
      for (ApprovalRequest r : store.expireDue(clock.instant())) {
        steps.record(r, Step.EXPIRED, null, "expired at " + r.expiresAt());
        notifiers.expired(r);
        waiters.offer(r);
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("approval expiry sweep failed, retrying: {}", e.getMessage());
    }
  }

  private Optional<ApprovalRequest> transition(
      UUID id, ApprovalState from, ApprovalState to, String by, Instant now, String reason)
      throws ApprovalException {
    try {
      return store.transition(id, from, to, by, now, reason);
    } catch (SQLException e) {
      throw new ApprovalException(
          "approval request `" + id + "` cannot be changed now: " + e.getMessage());
    }
  }

  private Optional<Stored> load(UUID id) {
    try {
      return store.find(id);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read approval request `" + id + "`: " + e.getMessage(), e);
    }
  }

  private ApprovalRequest require(UUID id, Principal actor) throws ApprovalException {
    return load(id).map(Stored::request).orElseThrow(() -> steps.refusedUnknown(id, actor));
  }

  private static Map<String, String> shownClaims(Principal p) {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
    if (p.clientId() != null) {
      shown.put("client_id", p.clientId());
    }
    for (String claim : SHOWN_CLAIMS) {
      if (p.claim(claim) instanceof String value) {
        shown.put(claim, value);
      }
    }
    return shown;
  }

  @Override
  public void close() {
    listener.close();
    scheduler.shutdownNow();
    notifiers.close();
  }
}
