package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.audit.AuditLag;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code audit} component of {@code /actuator/health}: DOWN while governed statements are
 * refused because their audit records cannot be made durable, so the overall health is DOWN (HTTP
 * 503) whenever the gateway refuses everything it governs (issue 18). Readiness and liveness leave
 * it out: every instance shares the control database, and a restart would not bring it back.
 */
final class AuditHealthIndicator implements HealthIndicator {

  private final JdbcAuditTrail audit;

  AuditHealthIndicator(JdbcAuditTrail audit) {
    this.audit = audit;
  }

  @Override
  public Health health() {
    AuditLag lag = audit.lag();
    return (audit.healthy() ? Health.up() : Health.down())
        .withDetail("lagRecords", lag.records())
        .withDetail("lagSeconds", lag.seconds())
        .build();
  }
}
