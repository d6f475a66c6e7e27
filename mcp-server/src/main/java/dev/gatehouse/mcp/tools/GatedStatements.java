package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementOutcome;
import dev.gatehouse.engine.masking.ErrorRedaction;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.sql.AnalysisContext;
import dev.gatehouse.engine.sql.PlainRead;
import dev.gatehouse.mcp.McpServerConfig;
import dev.gatehouse.mcp.exec.QueryResult;
import dev.gatehouse.mcp.exec.StatementRunner;
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
 * The path every statement of every tool takes: decide, record, run under the decision's
 * obligations, hold results until the audit record is durable, record the outcome.
 */
public final class GatedStatements {

  private static final Logger log = LoggerFactory.getLogger(GatedStatements.class);
  private static final Duration DURABLE_WAIT = Duration.ofSeconds(30);

  private final Gate gate;
  private final McpServerConfig config;
  private final StatementRunner runner;

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

  /** The statement failed upstream, or the audit trail could not be written. */
  public record Failed(String sqlState, String message, boolean auditDown, UUID auditId)
      implements Outcome {}

  public Gate gate() {
    return gate;
  }

  public McpServerConfig config() {
    return config;
  }

  public Verdict decide(CallContext caller, String sql) {
    return gate.decide(caller.principal(), caller.request(), AnalysisContext.DEFAULT, sql);
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

  /** Records a refusal (denial, pending or refused approval) and returns its audit id. */
  public UUID recordRefusal(
      CallContext caller, Verdict verdict, List<String> params, String why, UUID approvalId) {
    StatementAudit audit = record(caller, verdict, params, approvalId);
    audit.complete(new StatementOutcome(0, Duration.ZERO, List.of(), "42501", why, List.of()));
    return audit.id();
  }

  /** Runs an allowed (or approved) verdict. */
  public Outcome run(
      CallContext caller,
      Verdict verdict,
      String sql,
      List<String> params,
      int rowLimit,
      UUID approvalId) {
    Obligations ob = verdict.decision().obligations();
    StatementAudit audit = record(caller, verdict, params, approvalId);
    // Writes wait for the decision record before they run; reads overlap it and wait before
    // their rows are returned. Either way nothing reaches the caller unrecorded.
    if (!ob.readOnly() && !awaitDurable(audit)) {
      return auditDown(audit);
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
                  sql,
                  params,
                  rowLimit,
                  columns -> gate.maskPlan(verdict, columns, database),
                  PlainRead.test(verdict.analysis())));
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "XX000" : e.getSQLState();
      // PostgreSQL's error text may echo masked values: redacted for the caller and the audit.
      String message =
          ErrorRedaction.of(ob.masking(), verdict.analysis())
              .redactMessage(state, firstLine(e.getMessage()));
      String stored = ErrorRedaction.forAudit(state, message);
      audit.complete(new StatementOutcome(0, Duration.ZERO, List.of(), state, stored, List.of()));
      if (ob.readOnly() && !awaitDurable(audit)) {
        return auditDown(audit);
      }
      return new Failed(state, message, false, audit.id());
    }
    if (ob.readOnly() && !awaitDurable(audit)) {
      return auditDown(audit);
    }
    audit.complete(
        new StatementOutcome(
            result.rowCount(), result.duration(), result.masks(), null, null, List.of()));
    return new Ran(result, audit.id());
  }

  private StatementAudit record(
      CallContext caller, Verdict verdict, List<String> params, UUID approvalId) {
    return gate.record(
        caller.principal(), caller.request(), caller.sessionId(), verdict, params, approvalId);
  }

  private static boolean awaitDurable(StatementAudit audit) {
    try {
      audit.durable().get(DURABLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      log.error("audit record {} is not durable; refusing the result", audit.id(), e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Failed auditDown(StatementAudit audit) {
    return new Failed(
        "XX000",
        "the audit trail cannot be written, so nothing is returned; try again later",
        true,
        audit.id());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "the statement failed";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
