package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Test double of {@link ApprovalService}: in memory, approvers are the {@code dba} group. */
public final class MemoryApprovals implements ApprovalService {

  private final Map<UUID, ApprovalRequest> requests = new ConcurrentHashMap<>();
  private final Map<UUID, CompletableFuture<ApprovalRequest>> decided = new ConcurrentHashMap<>();
  private volatile Duration expiry = Duration.ofMinutes(5);

  public void expiry(Duration value) {
    expiry = value;
  }

  @Override
  public ApprovalRequest request(
      Principal requester, RequestContext context, String sql, List<String> params, Decision d) {
    Instant now = Instant.now();
    ApprovalRequest r =
        new ApprovalRequest(
            UUID.randomUUID(),
            ApprovalState.PENDING,
            requester.issuer(),
            requester.subject(),
            Map.of(),
            context.database(),
            sql,
            params,
            d.ruleIds(),
            d.explanation(),
            now,
            now.plus(expiry),
            null,
            null,
            null);
    requests.put(r.id(), r);
    decided.put(r.id(), new CompletableFuture<>());
    CompletableFuture.delayedExecutor(expiry.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> transition(r.id(), ApprovalState.EXPIRED, null, null));
    return r;
  }

  @Override
  public CompletableFuture<ApprovalRequest> awaitDecision(UUID id, Duration timeout) {
    return decided
        .get(id)
        .copy()
        .completeOnTimeout(requests.get(id), timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(r -> requests.get(id));
  }

  @Override
  public ApprovalRequest approve(UUID id, Principal approver) throws ApprovalException {
    check(id, approver);
    return transition(id, ApprovalState.APPROVED, approver.label(), null);
  }

  @Override
  public ApprovalRequest deny(UUID id, Principal approver, String reason) throws ApprovalException {
    check(id, approver);
    return transition(id, ApprovalState.DENIED, approver.label(), reason);
  }

  @Override
  public ApprovalRequest cancel(UUID id, String why) throws ApprovalException {
    return transition(id, ApprovalState.CANCELLED, null, why);
  }

  @Override
  public ApprovalRequest consume(
      UUID id, Principal requester, String database, String sql, List<String> params)
      throws ApprovalException {
    ApprovalRequest r = requests.get(id);
    if (r == null
        || r.state() != ApprovalState.APPROVED
        || !r.sql().equals(sql)
        || !r.requesterSubject().equals(requester.subject())
        || !r.database().equals(database)) {
      throw new ApprovalException("approval `" + id + "` does not cover this statement");
    }
    return transition(id, ApprovalState.USED, r.decidedBy(), r.decisionReason());
  }

  @Override
  public Optional<ApprovalRequest> find(UUID id) {
    return Optional.ofNullable(requests.get(id));
  }

  @Override
  public List<ApprovalRequest> pending() {
    return requests.values().stream().filter(r -> r.state() == ApprovalState.PENDING).toList();
  }

  private void check(UUID id, Principal approver) throws ApprovalException {
    ApprovalRequest r = requests.get(id);
    if (r == null || r.state() != ApprovalState.PENDING) {
      throw new ApprovalException("approval `" + id + "` is not pending");
    }
    if (!approver.groups().contains("dba") || approver.subject().equals(r.requesterSubject())) {
      throw new ApprovalException("`" + approver.subject() + "` may not decide this request");
    }
  }

  private synchronized ApprovalRequest transition(
      UUID id, ApprovalState state, String by, String reason) {
    ApprovalRequest r = requests.get(id);
    boolean fromPending = r.state() == ApprovalState.PENDING;
    if (!fromPending && !(r.state() == ApprovalState.APPROVED && state == ApprovalState.USED)) {
      return r;
    }
    ApprovalRequest next = r.decided(state, by, Instant.now(), reason);
    requests.put(id, next);
    decided.get(id).complete(next);
    return next;
  }
}
