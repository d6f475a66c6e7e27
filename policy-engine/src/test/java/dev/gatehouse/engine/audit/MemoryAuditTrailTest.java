package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import java.util.Optional;
import java.util.UUID;

/** The in-memory test double held to the audit trail contract. */
class MemoryAuditTrailTest extends AuditTrailContract {

  private final MemoryAuditTrail trail = new MemoryAuditTrail();

  @Override
  AuditTrail trail() {
    return trail;
  }

  @Override
  Optional<Stored> stored(UUID id) {
    return trail
        .find(id)
        .map(
            e -> {
              StatementOutcome o = e.outcome().getNow(null);
              return new Stored(
                  e.event().sql(),
                  e.event().context().database(),
                  e.event().principal().subject(),
                  e.event().decision().effect().name(),
                  e.event().decision().ruleIds(),
                  o == null ? null : o.rows(),
                  o == null ? null : o.sqlState());
            });
  }

  @Override
  long count(RecordKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> trail.authentications.size();
      case CONNECTION -> trail.connections.size();
      case APPROVAL -> trail.approvals.size();
      case STATEMENT -> trail.statements.size();
      case OUTCOME -> trail.statements.stream().filter(e -> e.outcome().isDone()).count();
    };
  }

  @Override
  void unavailable(boolean value) {
    trail.unavailable(value);
  }
}
