package dev.gatehouse.wire.testgate;

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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test double of {@link AuditTrail}: keeps records in memory; can be told to be unavailable. */
public final class MemoryAuditTrail implements AuditTrail {

  /** A statement record and, once complete, its outcome. */
  public record Entry(StatementEvent event, CompletableFuture<StatementOutcome> outcome) {}

  public final List<AuthEvent> authentications = new CopyOnWriteArrayList<>();
  // Appends are O(1): benchmarks record hundreds of thousands of statements.
  public final List<Entry> statements = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean unavailable;

  /** From now on, durable() fails (the control database is gone). */
  public void unavailable(boolean value) {
    unavailable = value;
  }

  @Override
  public void authentication(AuthEvent event) {
    authentications.add(event);
  }

  public final List<ConnectionEvent> connections = new CopyOnWriteArrayList<>();

  @Override
  public void connection(ConnectionEvent event) {
    connections.add(event);
  }

  @Override
  public StatementAudit statement(StatementEvent event) {
    Entry entry = new Entry(event, new CompletableFuture<>());
    statements.add(entry);
    UUID id = UUID.randomUUID();
    CompletableFuture<Void> durable =
        unavailable
            ? CompletableFuture.failedFuture(
                new AuditUnavailableException("control database unreachable", null))
            : CompletableFuture.completedFuture(null);
    return new StatementAudit() {
      @Override
      public UUID id() {
        return id;
      }

      @Override
      public CompletableFuture<Void> durable() {
        return durable;
      }

      @Override
      public void complete(StatementOutcome outcome) {
        if (!entry.outcome().complete(outcome)) {
          throw new IllegalStateException("statement outcome recorded twice");
        }
      }
    };
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
