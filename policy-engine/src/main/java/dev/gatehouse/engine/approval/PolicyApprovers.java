package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Policy;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The approvers of the policy in force: those of the rule that required the approval, else the
 * policy's. A requester is never their own approver, whatever their groups.
 */
public final class PolicyApprovers implements ApproverPolicy {

  private final Supplier<Policy> policy;

  /** Asks {@code policy} each time, so a reloaded policy's approvers answer from then on. */
  public PolicyApprovers(Supplier<Policy> policy) {
    this.policy = policy;
  }

  @Override
  public boolean mayApprove(Principal approver, ApprovalRequest request) {
    if (approver.is(request.requesterIssuer(), request.requesterSubject())) {
      return false;
    }
    Policy current = policy.get();
    boolean trustedIssuer =
        current.issuers().isEmpty()
            || current.issuers().stream().anyMatch(i -> i.issuer().equals(approver.issuer()));
    return trustedIssuer && current.approversFor(request.ruleIds()).includes(approver);
  }

  /** The shortest expiry the requiring rules set, else the policy's default approval expiry. */
  @Override
  public Duration expiry(List<String> ruleIds, Duration fallback) {
    Duration expiry = policy.get().approvalExpiry(ruleIds);
    return expiry == null ? fallback : expiry;
  }
}
