package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.identity.Principal;
import java.time.Duration;
import java.util.List;

/**
 * What the policy says about approvals: who may decide a request (the principals it names as
 * approvers) and how long a request may wait.
 */
public interface ApproverPolicy {

  /** True when {@code approver} may decide {@code request} (self-approval is refused elsewhere). */
  boolean mayApprove(Principal approver, ApprovalRequest request);

  /**
   * How long a request required by {@code ruleIds} may wait for a decision; {@code fallback} (the
   * approval service's configured expiry) unless the policy sets one.
   */
  default Duration expiry(List<String> ruleIds, Duration fallback) {
    return fallback;
  }
}
