package dev.gatehouse.slack;

import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.slack.outbox.InMemorySlackStore;
import dev.gatehouse.slack.outbox.SlackStore;
import java.time.Duration;

/** The Slack flows on the in-memory store and the approval-service test double. */
class SlackApprovalFlowTest extends SlackApprovalFlowContract {

  private MemoryApprovalService shared;

  @Override
  SlackStore newStore() {
    shared = null;
    return new InMemorySlackStore();
  }

  @Override
  ApprovalService newService(ApprovalNotifier notifier, ApproverPolicy policy, Duration ttl) {
    if (shared == null) {
      shared = new MemoryApprovalService(notifier, policy, clock, ttl);
      return shared;
    }
    return shared.sharing(ttl);
  }
}
