package dev.gatehouse.slack.testing;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST DOUBLE of our own {@link ApprovalService} interface, for unit tests of the Slack bot only:
 * requests in a map, the same refusals the real service makes (self-approval, non-approver, not
 * pending, expired), notifier calls on every change. The integration tests use the real
 * PostgreSQL-backed service.
 */
public final class InMemoryApprovalService implements ApprovalService {

  private final Map<UUID, ApprovalRequest> requests;
  private final ApprovalNotifier notifier;
  private final ApproverPolicy policy;
  private final Clock clock;
  private final Duration ttl;

  /** How many decisions were accepted, to prove duplicate clicks decide once. */
  public final AtomicInteger decisions = new AtomicInteger();

  public InMemoryApprovalService(
      ApprovalNotifier notifier, ApproverPolicy policy, Clock clock, Duration ttl) {
    this(new ConcurrentHashMap<>(), notifier, policy, clock, ttl);
  }

  private InMemoryApprovalService(
      Map<UUID, ApprovalRequest> requests,
      ApprovalNotifier notifier,
      ApproverPolicy policy,
      Clock clock,
      Duration ttl) {
    this.requests = requests;
    this.notifier = notifier;
    this.policy = policy;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Another service over the same requests whose new requests expire after {@code ttl}. */
  public InMemoryApprovalService sharing(Duration ttl) {
    return new InMemoryApprovalService(requests, notifier, policy, clock, ttl);
  }

  @Override
  public ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision) {
    Map<String, String> claims = new HashMap<>();
    claims.put("kind", requester.kind().name().toLowerCase());
    for (String c : List.of("name", "repository", "ref", "workflow")) {
      if (requester.claim(c) != null) {
        claims.put(c, String.valueOf(requester.claim(c)));
      }
    }
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
            decision.explanation(),
            clock.instant(),
            clock.instant().plus(ttl),
            null,
            null,
            null);
    requests.put(r.id(), r);
    notifier.created(r);
    return r;
  }

  @Override
  public CompletableFuture<ApprovalRequest> awaitDecision(UUID id, Duration timeout) {
    return CompletableFuture.completedFuture(requests.get(id));
  }

  @Override
  public synchronized ApprovalRequest approve(UUID id, Principal approver)
      throws ApprovalException {
    return decide(id, approver, ApprovalState.APPROVED, null);
  }

  @Override
  public synchronized ApprovalRequest deny(UUID id, Principal approver, String reason)
      throws ApprovalException {
    return decide(id, approver, ApprovalState.DENIED, reason);
  }

  private ApprovalRequest decide(UUID id, Principal approver, ApprovalState to, String reason)
      throws ApprovalException {
    ApprovalRequest r = pendingOrThrow(id);
    if (r.requesterIssuer().equals(approver.issuer())
        && r.requesterSubject().equals(approver.subject())) {
      throw new ApprovalException("the requester cannot approve their own request");
    }
    if (!policy.mayApprove(approver, r)) {
      throw new ApprovalException("`" + approver.subject() + "` is not an approver");
    }
    ApprovalRequest decided = with(r, to, approver.label(), reason);
    decisions.incrementAndGet();
    notifier.decided(decided);
    return decided;
  }

  @Override
  public synchronized ApprovalRequest cancel(UUID id, String why) throws ApprovalException {
    ApprovalRequest r = pendingOrThrow(id);
    ApprovalRequest cancelled = with(r, ApprovalState.CANCELLED, null, why);
    notifier.decided(cancelled);
    return cancelled;
  }

  /** Expires a request now, as the real service's sweeper would. */
  public synchronized ApprovalRequest expire(UUID id) {
    ApprovalRequest r = requests.get(id);
    ApprovalRequest expired = with(r, ApprovalState.EXPIRED, null, null);
    notifier.expired(expired);
    return expired;
  }

  private ApprovalRequest pendingOrThrow(UUID id) throws ApprovalException {
    ApprovalRequest r = requests.get(id);
    if (r == null) {
      throw new ApprovalException("no request `" + id + "`");
    }
    if (r.state() != ApprovalState.PENDING) {
      throw new ApprovalException("request `" + id + "` is " + r.state().name().toLowerCase());
    }
    if (!r.expiresAt().isAfter(clock.instant())) {
      throw new ApprovalException("request `" + id + "` expired");
    }
    return r;
  }

  private ApprovalRequest with(ApprovalRequest r, ApprovalState state, String by, String reason) {
    ApprovalRequest next = r.decided(state, by, clock.instant(), reason);
    requests.put(r.id(), next);
    return next;
  }

  @Override
  public ApprovalRequest consume(
      UUID id, Principal requester, String database, String sql, List<String> params)
      throws ApprovalException {
    throw new ApprovalException("not used by the slack bot");
  }

  @Override
  public Optional<ApprovalRequest> find(UUID id) {
    return Optional.ofNullable(requests.get(id));
  }

  @Override
  public List<ApprovalRequest> pending() {
    return new ArrayList<>(
        requests.values().stream().filter(r -> r.state() == ApprovalState.PENDING).toList());
  }
}
