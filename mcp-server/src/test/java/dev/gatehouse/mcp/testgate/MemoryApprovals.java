package dev.gatehouse.mcp.testgate;

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

/**
 * Test double of the approval workflow, in memory, with the same rules as the durable one: no
 * self-approval, approvers by group, used once by its requester for the exact statement.
 */
public final class MemoryApprovals implements ApprovalService {

  private final Map<UUID, ApprovalRequest> requests = new ConcurrentHashMap<>();
  private final Map<UUID, CompletableFuture<ApprovalRequest>> decided = new ConcurrentHashMap<>();
  private final String approverGroup;
  private final Duration ttl;

  public MemoryApprovals(String approverGroup, Duration ttl) {
    this.approverGroup = approverGroup;
    this.ttl = ttl;
  }

  @Override
  public ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision) {
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
            decision.ruleIds(),
            decision.explanation(),
            now,
            now.plus(ttl),
            null,
            null,
            null);
    requests.put(r.id(), r);
    decided.put(r.id(), new CompletableFuture<>());
    return r;
  }

  @Override
  public CompletableFuture<ApprovalRequest> awaitDecision(UUID id, Duration timeout) {
    ApprovalRequest current = requests.get(id);
    if (current == null || current.state() != ApprovalState.PENDING) {
      return CompletableFuture.completedFuture(current);
    }
    return decided
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
    return decide(id, approver, ApprovalState.DENIED, reason);
  }

  private synchronized ApprovalRequest decide(
      UUID id, Principal approver, ApprovalState state, String reason) throws ApprovalException {
    ApprovalRequest r = pendingOrThrow(id);
    if (r.requesterIssuer().equals(approver.issuer())
        && r.requesterSubject().equals(approver.subject())) {
      throw new ApprovalException("a requester cannot decide their own request");
    }
    if (!approver.groups().contains(approverGroup)) {
      throw new ApprovalException(approver.label() + " is not an approver");
    }
    return settle(with(r, state, approver.label(), reason));
  }

  @Override
  public synchronized ApprovalRequest cancel(UUID id, String why) throws ApprovalException {
    return settle(with(pendingOrThrow(id), ApprovalState.CANCELLED, null, why));
  }

  @Override
  public synchronized ApprovalRequest consume(
      UUID id, Principal requester, String database, String sql, List<String> params)
      throws ApprovalException {
    ApprovalRequest r = requests.get(id);
    if (r == null
        || !r.requesterIssuer().equals(requester.issuer())
        || !r.requesterSubject().equals(requester.subject())) {
      throw new ApprovalException("no such approval for this requester");
    }
    if (!r.database().equals(database) || !r.sql().equals(sql) || !r.params().equals(params)) {
      throw new ApprovalException("the approval was given for a different statement");
    }
    if (r.state() != ApprovalState.APPROVED) {
      throw new ApprovalException("the request is " + r.state().name().toLowerCase());
    }
    ApprovalRequest used = with(r, ApprovalState.USED, r.decidedBy(), r.decisionReason());
    requests.put(id, used);
    return used;
  }

  @Override
  public Optional<ApprovalRequest> find(UUID id) {
    return Optional.ofNullable(requests.get(id));
  }

  @Override
  public List<ApprovalRequest> pending() {
    return requests.values().stream().filter(r -> r.state() == ApprovalState.PENDING).toList();
  }

  private ApprovalRequest pendingOrThrow(UUID id) throws ApprovalException {
    ApprovalRequest r = requests.get(id);
    if (r == null) {
      throw new ApprovalException("no approval request `" + id + "`");
    }
    if (r.state() == ApprovalState.PENDING && Instant.now().isAfter(r.expiresAt())) {
      settle(with(r, ApprovalState.EXPIRED, null, null));
      throw new ApprovalException("the request expired");
    }
    if (r.state() != ApprovalState.PENDING) {
      throw new ApprovalException("the request is " + r.state().name().toLowerCase());
    }
    return r;
  }

  private ApprovalRequest settle(ApprovalRequest r) {
    requests.put(r.id(), r);
    decided.get(r.id()).complete(r);
    return r;
  }

  private static ApprovalRequest with(
      ApprovalRequest r, ApprovalState state, String by, String reason) {
    return r.decided(state, by, by == null ? null : Instant.now(), reason);
  }
}
