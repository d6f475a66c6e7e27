package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Reason;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Why a statement did not run, as data; {@link RefusalText} renders it for each audience and {@link
 * #sqlState()} is its entry in the one table of {@link SqlState}s.
 */
public sealed interface Refusal {

  /**
   * The refusal of a denying verdict: {@link Denied} with its reasons and SQLSTATE (42501, or
   * 54000/54001 past the analyser's limits), or {@link Internal} when the policy could not be
   * evaluated.
   */
  static Refusal of(dev.gatehouse.engine.policy.Verdict verdict) {
    return AdmissionDesk.refusal(verdict);
  }

  SqlState sqlState();

  /** The policy's rules behind the refusal; empty when no rule was involved. */
  default List<String> ruleIds() {
    return List.of();
  }

  /** The approval request concerned, or null. */
  default UUID approvalId() {
    return null;
  }

  /**
   * The policy denies the statement; {@code explanation} is the policy's own sentence and {@code
   * reasons} the same as data (rule, statement, what matched, what was missing). A statement past
   * one of the analyser's limits is refused with PostgreSQL's own 54000/54001 instead of 42501.
   */
  record Denied(List<String> ruleIds, String explanation, SqlState sqlState, List<Reason> reasons)
      implements Refusal {
    public Denied {
      ruleIds = List.copyOf(ruleIds);
      reasons =
          reasons == null || reasons.isEmpty()
              ? ruleIds.stream().map(Reason::rule).toList()
              : List.copyOf(reasons);
    }

    /** The refusal of a denying decision, with its reasons and its SQLSTATE. */
    public Denied(Decision decision, SqlState sqlState) {
      this(decision.ruleIds(), decision.explanation(), sqlState, decision.reasons());
    }

    public Denied(List<String> ruleIds, String explanation, SqlState sqlState) {
      this(ruleIds, explanation, sqlState, List.of());
    }

    public Denied(List<String> ruleIds, String explanation) {
      this(ruleIds, explanation, SqlState.INSUFFICIENT_PRIVILEGE);
    }
  }

  /** An approver denied the request. */
  record ApprovalDenied(UUID approvalId, String decidedBy, String reason) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INSUFFICIENT_PRIVILEGE;
    }
  }

  /** Nobody decided before the request expired. */
  record ApprovalExpired(UUID approvalId) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INSUFFICIENT_PRIVILEGE;
    }
  }

  /** The request is over (cancelled, or already used): it runs nothing more. */
  record ApprovalClosed(UUID approvalId, String state) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INSUFFICIENT_PRIVILEGE;
    }
  }

  /** The id resumed is unknown, or another principal's: both read the same. */
  record ApprovalNotYours(UUID approvalId) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INSUFFICIENT_PRIVILEGE;
    }
  }

  /** Approved, but not for this statement, database, principal or parameters. */
  record ApprovalUnusable(UUID approvalId, String why) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INSUFFICIENT_PRIVILEGE;
    }
  }

  /** The front end stopped waiting before anyone decided; the request was cancelled. */
  record ApprovalTimedOut(UUID approvalId, Duration waited) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INSUFFICIENT_PRIVILEGE;
    }
  }

  /** The client cancelled, or went away, while its statement waited. */
  record Cancelled(UUID approvalId) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.QUERY_CANCELED;
    }
  }

  /**
   * A quota of the principal is full (a front end's, {@code quotas.statementsPerPrincipal} say):
   * 53300, and {@code message} names the quota, its limit and what to do.
   */
  record OverQuota(String setting, int limit, String message) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.TOO_MANY_CONNECTIONS;
    }
  }

  /** The audit trail cannot be written, so nothing runs (fail closed). */
  record AuditUnavailable() implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INTERNAL_ERROR;
    }
  }

  /**
   * The gateway failed while {@code step} (a fixed phrase of the engine, never an exception's
   * text); never a permission denial.
   */
  record Internal(String step) implements Refusal {
    @Override
    public SqlState sqlState() {
      return SqlState.INTERNAL_ERROR;
    }
  }
}
