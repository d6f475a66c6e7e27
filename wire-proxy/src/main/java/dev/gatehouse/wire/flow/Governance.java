package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.RefusalText;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.admission.StatementRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls into the gate every flow makes the same way: admit a message, and translate a refusal
 * into an ErrorResponse. What is recorded, and when, is admission's business (ADR 0009).
 */
final class Governance {

  private static final Logger log = LoggerFactory.getLogger(Governance.class);

  private static final Refusal AUDIT_UNAVAILABLE = new Refusal.AuditUnavailable();

  private Governance() {}

  /** Admits {@code sql} as this session's principal; its parameters are not known yet. */
  static Admission admit(Session session, String sql) {
    return session.gate.admit(
        new StatementRequest(
            session.info.principal(),
            session.context(),
            session.info.connectionId(),
            session.analysisContext(),
            sql,
            null,
            null));
  }

  /** Answers a refused statement with its SQLSTATE and message; it is on record already. */
  static void refuse(Session session, Refused refused, boolean ready) {
    session.error(refused.sqlState(), refused.clientMessage(), null, ready);
  }

  /** The audit trail could not be written: nothing runs (fail closed). */
  static void auditUnavailable(Session session, Throwable cause, boolean ready) {
    log.warn("audit unavailable in session {}", session.info.connectionId(), cause);
    session.error(AUDIT_UNAVAILABLE.sqlState(), RefusalText.client(AUDIT_UNAVAILABLE), null, ready);
  }

  /**
   * Connecting or switching upstream failed: a role the session cannot switch to now is refused
   * with 42501 and says why; any other failure is the gateway's or the upstream's, never a denial.
   */
  static void upstreamFailed(Session session, Throwable cause, boolean ready) {
    if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof dev.gatehouse.engine.quota.QuotaExceeded quota) {
      // A quota, not a fault: 53300 naming it, and the session stays usable.
      session.error(quota.sqlState(), quota.getMessage(), null, ready);
      return;
    }
    if (cause instanceof UpstreamSwitch.RoleRefused refused) {
      session.error(SqlState.INSUFFICIENT_PRIVILEGE, refused.getMessage(), null, ready);
      return;
    }
    if (!(cause instanceof RuntimeException)) {
      // The upstream's own answer (refused role, unreachable host): what the operator must fix.
      session.error(
          SqlState.INTERNAL_ERROR,
          "cannot connect to the upstream database: " + cause.getMessage(),
          null,
          ready);
      return;
    }
    log.warn("connecting upstream failed in session {}", session.info.connectionId(), cause);
    session.error(
        SqlState.INTERNAL_ERROR,
        "the gateway could not connect to the upstream database, so nothing ran",
        null,
        ready);
  }
}
