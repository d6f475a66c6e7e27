package dev.gatehouse.slack.testing;

import dev.gatehouse.engine.audit.ApprovalEvent;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuthEvent;
import dev.gatehouse.engine.audit.ConnectionEvent;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST DOUBLE of our own {@link AuditTrail}: keeps authentication and approval events in lists for
 * assertions, and hands them on to a real trail when it has one.
 */
public final class RecordingAuditTrail implements AuditTrail {

  public final List<AuthEvent> authentications = new CopyOnWriteArrayList<>();
  public final List<ApprovalEvent> approvals = new CopyOnWriteArrayList<>();
  private final AuditTrail next;

  public RecordingAuditTrail() {
    this(null);
  }

  public RecordingAuditTrail(AuditTrail next) {
    this.next = next;
  }

  @Override
  public void authentication(AuthEvent event) {
    authentications.add(event);
    if (next != null) {
      next.authentication(event);
    }
  }

  @Override
  public void approval(ApprovalEvent event) {
    approvals.add(event);
    if (next != null) {
      next.approval(event);
    }
  }

  @Override
  public void connection(ConnectionEvent event) {
    throw new AssertionError("the slack bot records no connections");
  }

  @Override
  public StatementAudit statement(StatementEvent event) {
    throw new AssertionError("the slack bot records no statements");
  }
}
