package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Completion;
import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.RefusalText;
import dev.gatehouse.engine.admission.RowBound;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.SessionTaint;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.admission.StatementRequest;
import dev.gatehouse.engine.masking.ErrorRedaction;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.exec.QueryResult;
import dev.gatehouse.mcp.exec.StatementRunner;
import dev.gatehouse.mcp.exec.UpstreamUnavailable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every tool's statements pass the gate: admission decides, records and says when a statement
 * may run (ADR 0009); this class runs an admitted statement under its obligations, holds its result
 * until its record is durable, and reports how it ended.
 */
public final class GatedStatements {

  private static final Logger log = LoggerFactory.getLogger(GatedStatements.class);
  private static final Duration DURABLE_WAIT = Duration.ofSeconds(30);
  private static final Refusal AUDIT_UNAVAILABLE = new Refusal.AuditUnavailable();

  private final Gate gate;
  private final McpServerConfig config;
  private final StatementRunner runner;

  /**
   * The untrusted column each tainted session read first (the policy's {@code taint}), by session
   * and principal: a stateless caller's calls share no session id, so its principal is its session.
   * Only tainted sessions are held.
   */
  private final java.util.concurrent.ConcurrentMap<String, String> taints =
      new java.util.concurrent.ConcurrentHashMap<>();

  public GatedStatements(Gate gate, McpServerConfig config, StatementRunner runner) {
    this.gate = gate;
    this.config = config;
    this.runner = runner;
  }

  /** How a run ended. */
  public sealed interface Outcome {
    UUID auditId();
  }

  /** The statement ran; its (masked) result. */
  public record Ran(QueryResult result, UUID auditId) implements Outcome {}

  /**
   * A write past its grant's row bound ({@code maxRowsAffected}): rolled back, or not run because
   * its rows cannot be counted; it now waits for an approver, who sees why (the exact count).
   */
  public record Held(AwaitingApproval awaiting, UUID auditId) implements Outcome {}

  /**
   * The statement failed upstream; or it could not run because something it needs is unavailable
   * (the audit trail, or an upstream connection within the pool's timeout).
   */
  public record Failed(String sqlState, String message, boolean unavailable, UUID auditId)
      implements Outcome {}

  public Gate gate() {
    return gate;
  }

  public McpServerConfig config() {
    return config;
  }

  /** Decides without recording: probes and {@code describe}'s per-relation checks. */
  public Verdict decide(CallContext caller, String sql) {
    return gate.decide(caller.principal(), caller.request(), AnalysisContext.DEFAULT, sql);
  }

  /** Admits a call's statement; {@code resume} is the approval it resumes, or null. */
  public Admission admit(CallContext caller, String sql, List<String> params, UUID resume) {
    return gate.admit(
        new StatementRequest(
            caller.principal(),
            caller.request(),
            caller.sessionId(),
            AnalysisContext.DEFAULT,
            sql,
            params,
            resume,
            taint(caller)));
  }

  /**
   * Forgets what the session {@code sessionId} read: it ended, and its id is never served again.
   */
  public void sessionEnded(String sessionId) {
    taints.keySet().removeIf(key -> key.startsWith(sessionId + "\n"));
  }

  private SessionTaint taint(CallContext caller) {
    String key =
        caller.sessionId()
            + "\n"
            + caller.principal().issuer()
            + "\n"
            + caller.principal().subject();
    return new SessionTaint() {
      @Override
      public String source() {
        return taints.get(key);
      }

      @Override
      public void mark(String column) {
        taints.putIfAbsent(key, column);
      }
    };
  }

  /** The rows a call gets: what it asked, capped by the server and by the decision. */
  public int rowLimit(Integer requested, Obligations obligations) {
    long limit = requested == null ? config.defaultRows() : requested;
    limit = Math.min(limit, config.maxRows());
    if (obligations.rowLimit() > 0) {
      limit = Math.min(limit, obligations.rowLimit());
    }
    return (int) limit;
  }

  /**
   * Runs an admitted statement when admission says it may (ADR 0004). A write under a row bound
   * that was not approved is counted and kept only within the bound ({@link RowBound}); past it, or
   * when it cannot be counted, the outcome is {@link Held}.
   */
  public Outcome run(
      CallContext caller, Admitted admitted, String sql, List<String> params, int rowLimit) {
    Obligations ob = admitted.obligations();
    Verdict verdict = admitted.verdict();
    // An approved run carries the count its approver saw as its bound (none when none was shown).
    boolean bounded = RowBound.applies(verdict);
    Verdict cannotCount =
        !bounded
            ? null
            : !RowBound.countable(verdict)
                ? RowBound.uncountable(verdict, RowBound.uncountableReason(verdict))
                : RowBound.controlsTransactions(verdict) && RowBound.wrappedBody(verdict) == null
                    ? RowBound.withTransactionControl(verdict)
                    : null;
    // A plain `BEGIN; ...; COMMIT`: its middle runs in the call's own transaction and is counted.
    boolean wrapped = bounded && cannotCount == null && RowBound.controlsTransactions(verdict);
    String toRun = wrapped ? RowBound.wrappedBody(verdict) : sql;
    Run record;
    try {
      record = admitted.start(params);
    } catch (RuntimeException e) {
      log.error("the audit record could not be opened; refusing the statement", e);
      return auditDown(null);
    }
    boolean early = record.timing() == Run.Timing.RUN_NOW;
    if (!early && !awaitDurable(record)) {
      return auditDown(record.id());
    }
    if (cannotCount != null) {
      // Nothing ran: the record says so, and the statement waits for a dba as it was sent.
      record.complete(
          Completion.failed(
              0,
              Duration.ZERO,
              List.of(),
              SqlState.INSUFFICIENT_PRIVILEGE.code(),
              RowBound.NOT_COUNTABLE + "; it needs approval"));
      return new Held(admitted.escalate(cannotCount, params), record.id());
    }
    String database = caller.request().database();
    Duration timeout =
        ob.statementTimeout() == null ? config.defaultStatementTimeout() : ob.statementTimeout();
    QueryResult result;
    try {
      result =
          runner.run(
              new StatementRunner.Execution(
                  database,
                  ob,
                  timeout,
                  toRun,
                  params,
                  rowLimit,
                  admitted::maskPlan,
                  admitted.plainRead(),
                  bounded ? RowBound.of(verdict) : 0,
                  bounded ? RowBound.returnedRowsCount(verdict, wrapped) : null));
    } catch (StatementRunner.OverBound over) {
      // Rolled back: the first run's record says why nothing changed; a dba sees the count.
      record.complete(
          Completion.failed(
              0,
              Duration.ZERO,
              List.of(),
              SqlState.INSUFFICIENT_PRIVILEGE.code(),
              RowBound.rolledBack(verdict, over.rows())));
      Verdict held =
          admitted.approvalId() == null
              ? RowBound.overBound(verdict, over.rows())
              : RowBound.overApproved(verdict, over.rows());
      return new Held(admitted.escalate(held, params), record.id());
    } catch (UpstreamUnavailable e) {
      // Nothing ran: the upstream is full, silent or unreachable. The record says so.
      record.complete(
          Completion.failed(0, Duration.ZERO, List.of(), e.getSQLState(), e.getMessage()));
      if (early && !awaitDurable(record)) {
        return auditDown(record.id());
      }
      return new Failed(e.getSQLState(), e.getMessage(), true, record.id());
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? SqlState.INTERNAL_ERROR.code() : e.getSQLState();
      // PostgreSQL's error text may echo masked values: redacted for the caller and the audit.
      // The position and token come from the caller's own SQL text, never from data.
      String message =
          SqlErrorText.of(ErrorRedaction.of(ob.masking(), admitted.verdict().analysis()), state, e)
              + ErrorPosition.of(e, sql);
      // The trail keeps an even shorter text: echoing error classes keep only their leading words.
      String stored = ErrorRedaction.forAudit(state, message, SqlErrorText.fields(e));
      record.complete(Completion.failed(0, Duration.ZERO, List.of(), state, stored));
      if (early && !awaitDurable(record)) {
        return auditDown(record.id());
      }
      return new Failed(state, message, false, record.id());
    }
    // A read ran while its record committed: nothing is returned before the record is durable.
    if (early && !awaitDurable(record)) {
      return auditDown(record.id());
    }
    // Every statement's rows leave, so the record counts and lists them all.
    record.complete(Completion.ran(result.totalRowCount(), result.duration(), result.allMasks()));
    return new Ran(result, record.id());
  }

  private static boolean awaitDurable(Run record) {
    try {
      record.durable().get(DURABLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      // Logged once per outage by the audit trail, not per refused statement.
      log.debug(
          "audit record {} is not durable; refusing the result: {}", record.id(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Failed auditDown(UUID auditId) {
    return new Failed(
        AUDIT_UNAVAILABLE.sqlState().code(), RefusalText.tool(AUDIT_UNAVAILABLE), true, auditId);
  }
}
