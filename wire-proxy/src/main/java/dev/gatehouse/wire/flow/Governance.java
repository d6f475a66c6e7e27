package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.RefusalText;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.admission.StatementRequest;
import dev.gatehouse.engine.quota.QuotaExceeded;
import dev.gatehouse.wire.upstream.UpstreamStartupFlow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls into the gate every flow makes the same way: admit a message, and translate a refusal
 * into an ErrorResponse. What is recorded, and when, is admission's business (ADR 0009).
 */
final class Governance {

  private static final Logger log = LoggerFactory.getLogger(Governance.class);

  private static final Refusal AUDIT_UNAVAILABLE = new Refusal.AuditUnavailable();

  /**
   * The longest text admitted on the loop when cached: finding it in the cache lexes it, and a
   * longer text's lexing is left to a worker.
   */
  static final int CACHED_ADMISSION_MAX_CHARS = 8192;

  private Governance() {}

  /**
   * Admits {@code sql} as this session's principal (its parameters are not known yet) on a worker,
   * never on the event loop: analysing a deep statement takes up to the parse deadline, and the
   * loop serves other clients' connections meanwhile. The parse itself runs in the principal's fair
   * share of the parser threads, so one principal's statements wait behind its own.
   *
   * <p>A statement whose analysis and catalog are cached ({@link
   * dev.gatehouse.engine.Gate#admitCached}) is admitted on the loop instead, the same way.
   *
   * <p>The session takes no other client message until {@code then} has run on the loop, so
   * messages keep their order; {@code then} owns resuming the session (a flow that runs the
   * statement resumes when it is sent, a refusal resumes at once). If admission itself failed,
   * {@code failed} answers and the session resumes.
   */
  static <S extends Pacing & ClientAnswers & Admitting> void admit(
      S session, String sql, Consumer<Admission> then, Consumer<Throwable> failed) {
    // Built on the loop: the session's search_path and cursors as of this message.
    StatementRequest request =
        new StatementRequest(
            session.info().principal(),
            session.context(),
            session.info().connectionId(),
            session.analysisContext(),
            sql,
            null,
            null);
    session.suspend();
    if (sql.length() <= CACHED_ADMISSION_MAX_CHARS) {
      // A statement whose analysis and catalog are cached is admitted here, on the loop: no hop to
      // a worker and back (issue 15). Anything that would parse or read the database is not.
      Admission now;
      try {
        now = session.gate().admitCached(request);
      } catch (RuntimeException e) {
        log.warn("admission failed in session {}", session.info().connectionId(), e);
        failed.accept(e);
        session.resume();
        return;
      }
      if (now != null) {
        then.accept(now);
        return;
      }
    }
    CompletableFuture<Admission> admitting;
    try {
      admitting =
          CompletableFuture.supplyAsync(() -> session.gate().admit(request), session.workers());
    } catch (RejectedExecutionException e) {
      admitting = CompletableFuture.failedFuture(e); // the server is stopping
    }
    session.whenDone(
        admitting,
        (admission, error) -> {
          if (error != null) {
            log.warn("admission failed in session {}", session.info().connectionId(), error);
            failed.accept(error);
            session.resume();
            return;
          }
          then.accept(admission);
        });
  }

  /**
   * Takes the principal's running-statement slot for one run of {@code admitted} with {@code
   * params}. False when its quota is full: the run is refused with 53300 naming the quota, on
   * record like a denial, and nothing runs; the caller drops the message, and the session stays
   * usable.
   */
  static <S extends ClientAnswers & Admitting> boolean claimRunningSlot(
      S session, Admitted admitted, List<String> params, boolean ready) {
    try {
      session.running().claim();
      return true;
    } catch (QuotaExceeded e) {
      Refused refused =
          admitted.refuse(
              new Refusal.OverQuota(e.quota().setting(), e.limit(), e.getMessage()), params);
      session.error(refused.sqlState(), refused.clientMessage(), null, ready);
      return false;
    }
  }

  /** Admission threw instead of answering: the gateway's failure, never a denial. */
  static void admissionFailed(ClientAnswers session, boolean ready) {
    session.error(
        SqlState.INTERNAL_ERROR,
        "the gateway could not decide on the statement, so nothing ran; try again",
        null,
        ready);
  }

  /** Answers a refused statement with its SQLSTATE and message; it is on record already. */
  static void refuse(ClientAnswers session, Refused refused, boolean ready) {
    session.error(refused.sqlState(), refused.clientMessage(), null, ready);
  }

  /** The audit trail could not be written: nothing runs (fail closed). */
  static void auditUnavailable(ClientAnswers session, Throwable cause, boolean ready) {
    // The audit trail logs the outage once when it begins and once when it ends; a line (let
    // alone a stack trace) per refused statement would flood the log during an outage.
    log.debug(
        "audit unavailable in session {}: {}",
        session.info().connectionId(),
        String.valueOf(cause));
    session.error(AUDIT_UNAVAILABLE.sqlState(), RefusalText.client(AUDIT_UNAVAILABLE), null, ready);
  }

  /**
   * Connecting or switching upstream failed: a role the session cannot switch to now is refused
   * with 42501 and says why; any other failure is the gateway's or the upstream's, never a denial.
   */
  static void upstreamFailed(ClientAnswers session, Throwable cause, boolean ready) {
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
    if (cause instanceof UpstreamStartupFlow.Failed failed && failed.passedSqlState() != null) {
      // The upstream is full: PostgreSQL's own answer, and the session stays usable.
      session.error(failed.passedSqlState(), failed.getMessage(), failed.detail(), ready);
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
    log.warn("connecting upstream failed in session {}", session.info().connectionId(), cause);
    session.error(
        SqlState.INTERNAL_ERROR,
        "the gateway could not connect to the upstream database, so nothing ran",
        null,
        ready);
  }
}
