package dev.gatehouse.slack;

import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.slack.outbox.JdbcSlackStore;
import dev.gatehouse.slack.outbox.SlackStore;
import dev.gatehouse.slack.testing.ControlDatabases;
import dev.gatehouse.slack.testing.InMemoryApprovalService;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/** The Slack flows with message timestamps and the outbox in a real control database. */
class SlackApprovalFlowIT extends SlackApprovalFlowContract {

  private DataSource control;
  private InMemoryApprovalService shared;

  @Override
  SlackStore newStore() {
    control = ControlDatabases.create();
    shared = null;
    return JdbcSlackStore.open(control, JdbcSlackStore.DEFAULT_SCHEMA);
  }

  @Override
  ApprovalService newService(ApprovalNotifier notifier, ApproverPolicy policy, Duration ttl) {
    if (shared == null) {
      shared = new InMemoryApprovalService(notifier, policy, Clock.systemUTC(), ttl);
      return shared;
    }
    return shared.sharing(ttl);
  }
}
