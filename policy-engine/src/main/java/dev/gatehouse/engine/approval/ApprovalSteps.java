package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.audit.ApprovalEvent;
import dev.gatehouse.engine.audit.ApprovalEvent.Step;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.identity.Principal;
import java.time.Clock;
import java.util.UUID;

/** Writes every step of a request to the audit trail, refused attempts included. */
final class ApprovalSteps {

  private final AuditTrail audit;
  private final Clock clock;

  ApprovalSteps(AuditTrail audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  void record(ApprovalRequest r, Step step, Principal actor, String detail) {
    audit.approval(
        new ApprovalEvent(
            clock.instant(),
            r.id(),
            step,
            actor == null ? null : actor.issuer(),
            actor == null ? null : actor.subject(),
            r.requesterIssuer(),
            r.requesterSubject(),
            r.database(),
            detail));
  }

  /** Records a refused attempt and returns the error to throw. */
  ApprovalException refused(ApprovalRequest r, Principal actor, String why) {
    record(r, Step.REFUSED, actor, why);
    return new ApprovalException(why);
  }

  ApprovalException refusedUnknown(UUID id, Principal actor) {
    audit.approval(
        new ApprovalEvent(
            clock.instant(),
            id,
            Step.REFUSED,
            actor == null ? null : actor.issuer(),
            actor == null ? null : actor.subject(),
            null,
            null,
            null,
            "no such approval request"));
    return new ApprovalException("no approval request `" + id + "`");
  }
}
