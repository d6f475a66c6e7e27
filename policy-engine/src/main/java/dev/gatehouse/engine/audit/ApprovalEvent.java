package dev.gatehouse.engine.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of an approval request, for the audit trail.
 *
 * @param actorIssuer issuer of whoever took the step, or null for the gateway itself (expiry)
 * @param actorSubject subject of whoever took the step, or null for the gateway itself
 * @param detail a reason, or why an attempt was refused
 */
public record ApprovalEvent(
    Instant at,
    UUID approvalId,
    Step step,
    String actorIssuer,
    String actorSubject,
    String requesterIssuer,
    String requesterSubject,
    String database,
    String detail) {

  /** What happened to the request. */
  public enum Step {
    REQUESTED,
    APPROVED,
    DENIED,
    REFUSED,
    EXPIRED,
    CANCELLED,
    USED
  }
}
