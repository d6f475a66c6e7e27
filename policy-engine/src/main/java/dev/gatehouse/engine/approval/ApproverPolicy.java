package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.identity.Principal;

/** Who may decide an approval request: the principals the policy names as approvers. */
public interface ApproverPolicy {

  /** True when {@code approver} may decide {@code request} (self-approval is refused elsewhere). */
  boolean mayApprove(Principal approver, ApprovalRequest request);
}
