package dev.gatehouse.engine.audit;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** The audit record of one statement in the control database; see {@link JdbcAuditTrail}. */
final class JdbcStatementAudit implements StatementAudit {

  private final UUID id;
  private final CompletableFuture<Void> durable;
  private final int captureLimit;
  private final JdbcAuditTrail trail;
  private final AtomicBoolean completed = new AtomicBoolean();

  JdbcStatementAudit(
      UUID id, CompletableFuture<Void> durable, int captureLimit, JdbcAuditTrail trail) {
    this.id = id;
    this.durable = durable;
    this.captureLimit = captureLimit;
    this.trail = trail;
  }

  @Override
  public UUID id() {
    return id;
  }

  @Override
  public CompletableFuture<Void> durable() {
    // A copy, so a caller that completes or cancels it cannot change what others see.
    return durable.copy();
  }

  @Override
  public int captureLimit() {
    return captureLimit;
  }

  @Override
  public void complete(StatementOutcome outcome) {
    if (!completed.compareAndSet(false, true)) {
      throw new IllegalStateException("statement " + id + " was already completed");
    }
    trail.outcome(id, outcome, captureLimit);
  }
}
