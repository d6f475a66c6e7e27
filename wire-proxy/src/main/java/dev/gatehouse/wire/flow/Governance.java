package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementOutcome;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The calls into the gate every flow makes the same way: decide, record, deny. */
final class Governance {

  private static final Logger log = LoggerFactory.getLogger(Governance.class);

  private Governance() {}

  /** The verdict on {@code sql}, or null after answering the client when deciding failed. */
  static Verdict decide(Session session, String sql, boolean ready) {
    try {
      return session.gate.decide(
          session.info.principal(), session.context(), session.analysisContext(), sql);
    } catch (RuntimeException e) {
      log.warn("deciding failed in session {}", session.info.connectionId(), e);
      session.error(
          SqlState.INTERNAL_ERROR,
          "the gateway could not decide on the statement, so it was not run",
          null,
          ready);
      return null;
    }
  }

  static StatementAudit record(
      Session session, Verdict verdict, List<String> params, UUID approvalId) {
    return session.gate.record(
        session.info.principal(),
        session.context(),
        session.info.connectionId(),
        verdict,
        params,
        approvalId);
  }

  /** Refuses a denied statement with 42501 naming the rules; the denial is recorded too. */
  static void deny(Session session, Verdict verdict, List<String> params, boolean ready) {
    String message = denialMessage(verdict);
    try {
      record(session, verdict, params, null)
          .complete(
              new StatementOutcome(
                  0,
                  Duration.ZERO,
                  List.of(),
                  SqlState.INSUFFICIENT_PRIVILEGE.code(),
                  message,
                  List.of()));
    } catch (RuntimeException e) {
      // The statement is refused either way; a denial that cannot be recorded is still a denial.
      log.warn("could not record a denial in session {}", session.info.connectionId(), e);
    }
    session.error(
        SqlState.INSUFFICIENT_PRIVILEGE, message, verdict.decision().explanation(), ready);
  }

  static String denialMessage(Verdict verdict) {
    List<String> rules = verdict.decision().ruleIds();
    return "permission denied by gatehouse policy (rule "
        + String.join(", ", rules.stream().map(r -> "`" + r + "`").toList())
        + "): "
        + verdict.decision().explanation();
  }

  /** The audit trail could not be written: nothing runs (fail closed). */
  static void auditUnavailable(Session session, Throwable cause, boolean ready) {
    log.warn("audit unavailable in session {}", session.info.connectionId(), cause);
    session.error(
        SqlState.INTERNAL_ERROR,
        "statement refused: the audit trail cannot be written, so nothing runs until it can",
        null,
        ready);
  }

  /** Connecting or switching upstream failed. */
  static void upstreamFailed(Session session, Throwable cause, boolean ready) {
    boolean policy = cause instanceof IllegalStateException;
    session.error(
        policy ? SqlState.INSUFFICIENT_PRIVILEGE : SqlState.INTERNAL_ERROR,
        policy
            ? cause.getMessage()
            : "cannot connect to the upstream database: " + cause.getMessage(),
        null,
        ready);
  }
}
