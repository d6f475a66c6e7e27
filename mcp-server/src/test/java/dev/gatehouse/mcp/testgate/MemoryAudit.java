package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuthEvent;
import dev.gatehouse.engine.audit.ConnectionEvent;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementEvent;
import dev.gatehouse.engine.audit.StatementOutcome;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test double of the audit trail: keeps every event in memory so tests can read them back. */
public final class MemoryAudit implements AuditTrail {

  /** A recorded statement and, once known, its outcome. */
  public record Entry(UUID id, StatementEvent event, StatementOutcome outcome) {}

  public final List<AuthEvent> authentications = new CopyOnWriteArrayList<>();
  public final List<ConnectionEvent> connections = new CopyOnWriteArrayList<>();
  public final Map<UUID, Entry> statements = new ConcurrentHashMap<>();

  @Override
  public void authentication(AuthEvent event) {
    authentications.add(event);
  }

  @Override
  public void connection(ConnectionEvent event) {
    connections.add(event);
  }

  @Override
  public StatementAudit statement(StatementEvent event) {
    UUID id = UUID.randomUUID();
    statements.put(id, new Entry(id, event, null));
    return new StatementAudit() {
      @Override
      public UUID id() {
        return id;
      }

      @Override
      public CompletableFuture<Void> durable() {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void complete(StatementOutcome outcome) {
        statements.computeIfPresent(id, (k, e) -> new Entry(id, e.event(), outcome));
      }
    };
  }
}
