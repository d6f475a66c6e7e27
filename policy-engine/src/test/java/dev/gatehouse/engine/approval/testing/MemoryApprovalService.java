package dev.gatehouse.engine.approval.testing;

import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one in-memory test double of {@link ApprovalService}, held to the same contract as the
 * PostgreSQL-backed service (ApprovalServiceContract): no self-approval, approvers by policy, one
 * decision, expiry by the clock, used once by its requester for the exact statement, notifier calls
 * on every change.
 */
public final class MemoryApprovalService implements ApprovalService {

  private final Map<UUID, ApprovalRequest> requests;

  /** The front end each request was made on (shared like the requests). */
  private final Map<UUID, dev.gatehouse.engine.policy.Channel> channels;

  private final Map<UUID, CompletableFuture<ApprovalRequest>> settled;
  private final ApprovalNotifier notifier;
  private final ApproverPolicy policy;
  private final Clock clock;
  private final Duration ttl;

  /** How many decisions were accepted, to prove that duplicate clicks decide once. */
  public final AtomicInteger decisions;

  public MemoryApprovalService(
      ApprovalNotifier notifier, ApproverPolicy policy, Clock clock, Duration ttl) {
    this(
        new ConcurrentHashMap<>(),
        new ConcurrentHashMap<>(),
        new ConcurrentHashMap<>(),
        notifier,
        policy,
        clock,
        ttl,
        new AtomicInteger());
  }

  /** Approvers are the members of {@code group}; nobody is notified; the system clock. */
  public static MemoryApprovalService approvedBy(String group, Duration ttl) {
    return new MemoryApprovalService(
        SILENT, (approver, r) -> approver.groups().contains(group), Clock.systemUTC(), ttl);
  }

  private MemoryApprovalService(
      Map<UUID, ApprovalRequest> requests,
      Map<UUID, dev.gatehouse.engine.policy.Channel> channels,
      Map<UUID, CompletableFuture<ApprovalRequest>> settled,
      ApprovalNotifier notifier,
      ApproverPolicy policy,
      Clock clock,
      Duration ttl,
      AtomicInteger decisions) {
    this.requests = requests;
    this.channels = channels;
    this.settled = settled;
    this.notifier = notifier;
    this.policy = policy;
    this.clock = clock;
    this.ttl = ttl;
    this.decisions = decisions;
  }

  /** Another service over the same requests (a second instance) whose requests expire after ttl. */
  public MemoryApprovalService sharing(Duration ttl) {
    return new MemoryApprovalService(
        requests, channels, settled, notifier, policy, clock, ttl, decisions);
  }

  @Override
  public ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision) {
    Map<String, String> claims = new HashMap<>();
    claims.put("kind", requester.kind().name().toLowerCase(Locale.ROOT));
    for (String c : List.of("name", "repository", "ref", "workflow")) {
      if (requester.claim(c) != null) {
        claims.put(c, String.valueOf(requester.claim(c)));
      }
    }
    var now = clock.instant();
    ApprovalRequest r =
        new ApprovalRequest(
            UUID.randomUUID(),
            ApprovalState.PENDING,
            requester.issuer(),
            requester.subject(),
            claims,
            context.database(),
            sql,
            params,
            decision.ruleIds(),
            decision.explanation() == null ? "" : decision.explanation(),
            now,
            now.plus(policy.expiry(decision.ruleIds(), ttl)),
            null,
            null,
            null);
    requests.put(r.id(), r);
    channels.put(r.id(), context.channel());
    settled.put(r.id(), new CompletableFuture<>());
    notifier.created(r);
    return r;
  }

  @Override
  public CompletableFuture<ApprovalRequest> awaitDecision(UUID id, Duration timeout) {
    ApprovalRequest current = requests.get(id);
    if (current == null || current.state() != ApprovalState.PENDING) {
      return CompletableFuture.completedFuture(current);
    }
    return settled
        .get(id)
        .copy()
        .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(r -> r == null ? requests.get(id) : r);
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

  private synchronized ApprovalRequest decide(
      UUID id, Principal approver, ApprovalState to, String reason) throws ApprovalException {
    ApprovalRequest r = pendingOrThrow(id);
    if (approver.is(r.requesterIssuer(), r.requesterSubject())) {
      throw new ApprovalException("the requester cannot approve their own request");
    }
    if (!policy.mayApprove(approver, r)) {
      throw new ApprovalException("`" + approver.subject() + "` is not an approver");
    }
    ApprovalRequest decided = settle(r.decided(to, approver.label(), clock.instant(), reason));
    decisions.incrementAndGet();
    notifier.decided(decided);
    return decided;
  }

  @Override
  public synchronized ApprovalRequest cancel(UUID id, String why) throws ApprovalException {
    ApprovalRequest r = pendingOrThrow(id);
    ApprovalRequest cancelled = settle(r.decided(ApprovalState.CANCELLED, null, null, why));
    notifier.decided(cancelled);
    return cancelled;
  }

  /**
   * Expires a pending request now, as the real service's sweeper does once its time is up: the
   * waiter wakes to EXPIRED. A request already decided, cancelled or used stays as it is.
   */
  public synchronized ApprovalRequest expire(UUID id) {
    ApprovalRequest r = requests.get(id);
    if (r.state() != ApprovalState.PENDING) {
      return r;
    }
    ApprovalRequest expired = settle(r.decided(ApprovalState.EXPIRED, null, null, null));
    notifier.expired(expired);
    return expired;
  }

  @Override
  public synchronized ApprovalRequest consume(
      UUID id, Principal requester, String database, String sql, List<String> params)
      throws ApprovalException {
    ApprovalRequest r = requests.get(id);
    if (r == null || !requester.is(r.requesterIssuer(), r.requesterSubject())) {
      throw new ApprovalException("no such approval for this requester");
    }
    if (!r.database().equals(database) || !r.sql().equals(sql) || !r.params().equals(params)) {
      throw new ApprovalException("the approval was given for a different statement");
    }
    if (r.state() != ApprovalState.APPROVED) {
      throw new ApprovalException("the request is " + name(r.state()));
    }
    ApprovalRequest used = r.withState(ApprovalState.USED);
    requests.put(id, used);
    return used;
  }

  @Override
  public Optional<ApprovalRequest> find(UUID id) {
    return Optional.ofNullable(requests.get(id));
  }

  @Override
  public Optional<dev.gatehouse.engine.policy.Channel> requestedOn(UUID id) {
    return Optional.ofNullable(channels.get(id));
  }

  @Override
  public List<ApprovalRequest> pending() {
    return requests.values().stream()
        .filter(r -> r.state() == ApprovalState.PENDING)
        .filter(r -> r.expiresAt().isAfter(clock.instant()))
        .sorted(java.util.Comparator.comparing(ApprovalRequest::createdAt))
        .toList();
  }

  private ApprovalRequest pendingOrThrow(UUID id) throws ApprovalException {
    ApprovalRequest r = requests.get(id);
    if (r == null) {
      throw new ApprovalException("no request `" + id + "`");
    }
    if (r.state() == ApprovalState.PENDING && !r.expiresAt().isAfter(clock.instant())) {
      expire(id);
      throw new ApprovalException("request `" + id + "` expired");
    }
    if (r.state() != ApprovalState.PENDING) {
      throw new ApprovalException("request `" + id + "` is " + name(r.state()));
    }
    return r;
  }

  private ApprovalRequest settle(ApprovalRequest r) {
    requests.put(r.id(), r);
    settled.get(r.id()).complete(r);
    return r;
  }

  private static String name(ApprovalState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static final ApprovalNotifier SILENT =
      new ApprovalNotifier() {
        @Override
        public void created(ApprovalRequest request) {}

        @Override
        public void decided(ApprovalRequest request) {}

        @Override
        public void expired(ApprovalRequest request) {}
      };
}
