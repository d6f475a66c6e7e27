package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.testkit.OffsetClock;

/** The in-memory test double held to the approval service contract. */
class MemoryApprovalServiceTest extends ApprovalServiceContract {

  @Override
  ApprovalService service(ApproverPolicy approvers, OffsetClock clock) {
    return new MemoryApprovalService(new LogApprovalNotifier(), approvers, clock, TTL);
  }
}
