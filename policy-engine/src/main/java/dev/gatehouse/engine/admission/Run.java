package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementOutcome;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One run of an admitted statement, from its decision record to its completion. Results reach the
 * caller only after {@link #durable()}; {@link #timing()} says whether it may be sent upstream
 * before that.
 */
public final class Run {

  /** When the statement may be sent upstream (ADR 0004). */
  public enum Timing {
    /** A plain read: send it now; hold its results until {@link #durable()} completes. */
    RUN_NOW,
    /** Anything else: send it only once {@link #durable()} has completed. */
    AFTER_RECORD
  }

  private final StatementAudit audit;
  private final Timing timing;
  private final AdmissionObserver observer;
  private final Runnable afterwards;

  /** Told how the statement ended (the taint switch's errors), or null. */
  private final java.util.function.Consumer<Completion> ended;

  Run(StatementAudit audit, boolean plainRead, AdmissionObserver observer) {
    this(audit, plainRead, observer, null);
  }

  /**
   * @param afterwards run once the statement has ended, e.g. forgetting the catalog after DDL
   */
  Run(StatementAudit audit, boolean plainRead, AdmissionObserver observer, Runnable afterwards) {
    this(audit, plainRead, observer, afterwards, null);
  }

  Run(
      StatementAudit audit,
      boolean plainRead,
      AdmissionObserver observer,
      Runnable afterwards,
      java.util.function.Consumer<Completion> ended) {
    this.audit = audit;
    this.observer = observer;
    this.afterwards = afterwards;
    this.ended = ended;
    CompletableFuture<Void> durable = audit.durable();
    // A record already known to have failed refuses even a plain read before it is sent.
    this.timing =
        plainRead && !durable.isCompletedExceptionally() ? Timing.RUN_NOW : Timing.AFTER_RECORD;
  }

  /** The id of the statement's audit record (MCP {@code audit_id}). */
  public UUID id() {
    return audit.id();
  }

  /** Completes when the decision record is durable; fails when it cannot be written. */
  public CompletableFuture<Void> durable() {
    return audit.durable();
  }

  public Timing timing() {
    return timing;
  }

  /** Records how the statement ended. Called once. */
  public void complete(Completion c) {
    if (c.duration() != null) {
      observer.completed(c.duration());
    }
    audit.complete(
        new StatementOutcome(
            c.rows(), c.duration(), c.masks(), c.sqlState(), c.error(), List.of()));
    if (ended != null) {
      ended.accept(c);
    }
    if (afterwards != null) {
      afterwards.run();
    }
  }
}
