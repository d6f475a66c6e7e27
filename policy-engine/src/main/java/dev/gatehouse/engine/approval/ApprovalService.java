package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.Analysis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The approval workflow: durable requests in the control database, decided by approvers through any
 * gateway instance, waiters woken by LISTEN/NOTIFY.
 */
public interface ApprovalService {

  /** Creates a pending request for {@code sql} as decided, and notifies the approvers. */
  /**
   * {@code params} as a request of this service shows them ({@link ApprovalRequest#params()}): in
   * clear, or as keyed hashes when the audit keeps them so ({@link ApprovalParams}).
   */
  default List<String> shownParams(List<String> params) {
    return ApprovalParams.CLEAR.shown(params);
  }

  ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision);

  /**
   * Completes with the request once it is no longer pending, or with the still-pending request when
   * {@code timeout} passes. Never blocks the calling thread.
   */
  CompletableFuture<ApprovalRequest> awaitDecision(UUID id, Duration timeout);

  /** Approves; refused for the requester, for non-approvers, and for requests no longer pending. */
  ApprovalRequest approve(UUID id, Principal approver) throws ApprovalException;

  /** Denies with a reason; same checks as {@link #approve}. */
  ApprovalRequest deny(UUID id, Principal approver, String reason) throws ApprovalException;

  /** Cancels a pending request (its requester went away). */
  ApprovalRequest cancel(UUID id, String why) throws ApprovalException;

  /**
   * Uses an approved request to run the statement it was made for: refused unless the same
   * requester, database, SQL and parameters, and unless it is approved and not used yet.
   */
  ApprovalRequest consume(
      UUID id, Principal requester, String database, String sql, List<String> params)
      throws ApprovalException;

  Optional<ApprovalRequest> find(UUID id);

  /**
   * The front end request {@code id} was made on, if recorded. Its approval is used only through
   * that front end (red-team round 50: an approval a wire connection waited for was used from MCP
   * by its id, so the statement ran in another session than the one judged and approved).
   */
  Optional<dev.gatehouse.engine.policy.Channel> requestedOn(UUID id);

  List<ApprovalRequest> pending();

  /**
   * Like {@link #request(Principal, RequestContext, String, List, Decision)}, and remembers the
   * statement classes of {@code analysis} so that, where configured, using the approval opens a
   * time-boxed window for that principal and those classes.
   */
  default ApprovalRequest request(
      Principal requester,
      RequestContext context,
      String sql,
      List<String> params,
      Decision decision,
      Analysis analysis) {
    return request(requester, context, sql, params, decision);
  }

  /**
   * The used approval whose time-boxed window covers every statement class of {@code analysis} for
   * this principal and database now, if any; its id goes into the statement's audit record. Empty
   * when windows are not configured.
   */
  default Optional<ApprovalRequest> openWindow(
      Principal requester, String database, Analysis analysis) {
    return Optional.empty();
  }
}
