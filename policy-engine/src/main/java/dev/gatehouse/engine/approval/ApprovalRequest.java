package dev.gatehouse.engine.approval;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A durable request for a human to approve one statement, bound to exactly what was asked.
 *
 * @param requesterClaims the requester's claims worth showing an approver (kind, repository, ref)
 * @param sql the normalized SQL the approval is bound to
 * @param ruleIds the rules that required approval
 * @param reasons the risk reasons, readable
 * @param decidedBy {@code subject (issuer)} of the approver, or null
 */
public record ApprovalRequest(
    UUID id,
    ApprovalState state,
    String requesterIssuer,
    String requesterSubject,
    Map<String, String> requesterClaims,
    String database,
    String sql,
    List<String> params,
    List<String> ruleIds,
    String reasons,
    Instant createdAt,
    Instant expiresAt,
    String decidedBy,
    Instant decidedAt,
    String decisionReason) {

  public ApprovalRequest {
    requesterClaims = Map.copyOf(requesterClaims);
    params = List.copyOf(params);
    ruleIds = List.copyOf(ruleIds);
  }

  /** This request in {@code newState}, decided by {@code by} at {@code at} for {@code reason}. */
  public ApprovalRequest decided(ApprovalState newState, String by, Instant at, String reason) {
    return new ApprovalRequest(
        id,
        newState,
        requesterIssuer,
        requesterSubject,
        requesterClaims,
        database,
        sql,
        params,
        ruleIds,
        reasons,
        createdAt,
        expiresAt,
        by,
        at,
        reason);
  }

  /** This request in {@code newState}, with its decision unchanged. */
  public ApprovalRequest withState(ApprovalState newState) {
    return decided(newState, decidedBy, decidedAt, decisionReason);
  }
}
