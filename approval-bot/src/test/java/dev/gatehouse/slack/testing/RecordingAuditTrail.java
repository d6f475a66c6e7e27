package dev.gatehouse.slack.testing;

import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuthEvent;
import dev.gatehouse.engine.audit.ConnectionEvent;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** TEST DOUBLE of our own {@link AuditTrail}: keeps authentication events in a list. */
public final class RecordingAuditTrail implements AuditTrail {

  public final List<AuthEvent> authentications = new CopyOnWriteArrayList<>();

  @Override
  public void authentication(AuthEvent event) {
    authentications.add(event);
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
