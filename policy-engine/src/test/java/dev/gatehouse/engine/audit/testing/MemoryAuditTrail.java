package dev.gatehouse.engine.audit.testing;

import dev.gatehouse.engine.audit.ApprovalEvent;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuditUnavailableException;
import dev.gatehouse.engine.audit.AuthEvent;
import dev.gatehouse.engine.audit.ConnectionEvent;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementEvent;
import dev.gatehouse.engine.audit.StatementOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one in-memory test double of {@link AuditTrail}, held to the same contract as the real trail
 * (AuditTrailContract): every event kept for tests to read back, each statement's outcome recorded
 * once, and a trail that can be made unavailable, when {@code durable()} fails but the record is
 * kept, as the real trail keeps it in its spool or local log.
 */
public final class MemoryAuditTrail implements AuditTrail {

  /** A statement record and, once complete, its outcome. */
  public record Entry(UUID id, StatementEvent event, CompletableFuture<StatementOutcome> outcome) {}

  public final List<AuthEvent> authentications = new CopyOnWriteArrayList<>();
  public final List<ConnectionEvent> connections = new CopyOnWriteArrayList<>();
  public final List<ApprovalEvent> approvals = new CopyOnWriteArrayList<>();
  // Appends are O(1): benchmarks record hundreds of thousands of statements.
  public final List<Entry> statements = Collections.synchronizedList(new ArrayList<>());

  private final AuditTrail next;
  private volatile boolean unavailable;

  public MemoryAuditTrail() {
    this(null);
  }

  /** Keeps every event and hands it on to {@code next} (a real trail), when not null. */
  public MemoryAuditTrail(AuditTrail next) {
    this.next = next;
  }

  /** From now on, until told otherwise, durable() fails (the control database is gone). */
  public void unavailable(boolean value) {
    unavailable = value;
  }

  @Override
  public void authentication(AuthEvent event) {
    authentications.add(event);
    if (next != null) {
      next.authentication(event);
    }
  }

  @Override
  public void connection(ConnectionEvent event) {
    connections.add(event);
    if (next != null) {
      next.connection(event);
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
  public StatementAudit statement(StatementEvent event) {
    StatementAudit forwarded = next == null ? null : next.statement(event);
    UUID id = forwarded == null ? UUID.randomUUID() : forwarded.id();
    Entry entry = new Entry(id, event, new CompletableFuture<>());
    statements.add(entry);
    CompletableFuture<Void> durable =
        forwarded != null
            ? forwarded.durable()
            : unavailable
                ? CompletableFuture.failedFuture(
                    new AuditUnavailableException(
                        "audit trail unavailable, the control database cannot be written", null))
                : CompletableFuture.completedFuture(null);
    return new StatementAudit() {
      @Override
      public UUID id() {
        return id;
      }

      @Override
      public CompletableFuture<Void> durable() {
        // A copy, as the real trail hands out: a caller cannot change what others see.
        return durable.copy();
      }

      @Override
      public void complete(StatementOutcome outcome) {
        if (!entry.outcome().complete(outcome)) {
          throw new IllegalStateException("statement " + id + " was already completed");
        }
        if (forwarded != null) {
          forwarded.complete(outcome);
        }
      }

      @Override
      public int captureLimit() {
        return forwarded == null ? 0 : forwarded.captureLimit();
      }
    };
  }

  /** The statement record {@code id}, if there is one. */
  public Optional<Entry> find(UUID id) {
    synchronized (statements) {
      return statements.stream().filter(e -> e.id().equals(id)).findFirst();
    }
  }

  /** The last record whose SQL contains {@code fragment}. */
  public Entry last(String fragment) {
    synchronized (statements) {
      for (int i = statements.size() - 1; i >= 0; i--) {
        if (statements.get(i).event().sql().contains(fragment)) {
          return statements.get(i);
        }
      }
    }
    throw new AssertionError("no audit record for `" + fragment + "`");
  }
}
