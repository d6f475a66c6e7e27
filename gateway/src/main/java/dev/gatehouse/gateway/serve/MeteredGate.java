package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.UpstreamTarget;
import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementOutcome;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.AnalysisContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gate with metrics: decisions by effect and channel, decision and statement latency
 * histograms, authentication failures, and the audit records not yet durable (the audit queue).
 * Everything else passes through unchanged.
 */
public final class MeteredGate implements Gate {

  private final Gate gate;
  private final MeterRegistry registry;
  private final AtomicLong auditPending = new AtomicLong();
  private final Timer decisionTimer;
  private final Timer statementTimer;

  public MeteredGate(Gate gate, MeterRegistry registry) {
    this.gate = gate;
    this.registry = registry;
    this.decisionTimer =
        Timer.builder("gatehouse.decision")
            .description("time to analyse and decide one message")
            .publishPercentileHistogram()
            .register(registry);
    this.statementTimer =
        Timer.builder("gatehouse.statement")
            .description("upstream run time of allowed statements, as their outcome reports it")
            .publishPercentileHistogram()
            .register(registry);
    registry.gauge("gatehouse.audit.pending", auditPending);
  }

  @Override
  public Principal authenticate(String token, RequestContext context)
      throws AuthenticationException {
    try {
      return gate.authenticate(token, context);
    } catch (AuthenticationException e) {
      Counter.builder("gatehouse.authentication.failures")
          .tag("channel", channel(context))
          .register(registry)
          .increment();
      throw e;
    }
  }

  @Override
  public Verdict decide(
      Principal principal, RequestContext context, AnalysisContext sql, String message) {
    long start = System.nanoTime();
    Verdict verdict = gate.decide(principal, context, sql, message);
    decisionTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    Counter.builder("gatehouse.statements")
        .description("messages decided, by decision and channel")
        .tag("decision", verdict.decision().effect().name().toLowerCase(Locale.ROOT))
        .tag("channel", channel(context))
        .register(registry)
        .increment();
    return verdict;
  }

  @Override
  public StatementAudit record(
      Principal principal,
      RequestContext context,
      String connectionId,
      Verdict verdict,
      List<String> params,
      UUID approvalId) {
    StatementAudit audit =
        gate.record(principal, context, connectionId, verdict, params, approvalId);
    auditPending.incrementAndGet();
    audit.durable().whenComplete((ok, error) -> auditPending.decrementAndGet());
    return new StatementAudit() {
      @Override
      public UUID id() {
        return audit.id();
      }

      @Override
      public CompletableFuture<Void> durable() {
        return audit.durable();
      }

      @Override
      public void complete(StatementOutcome outcome) {
        if (outcome.duration() != null) {
          statementTimer.record(outcome.duration());
        }
        audit.complete(outcome);
      }

      @Override
      public int captureLimit() {
        return audit.captureLimit();
      }
    };
  }

  @Override
  public MaskPlan maskPlan(Verdict verdict, List<ResultColumn> columns, String database) {
    return gate.maskPlan(verdict, columns, database);
  }

  @Override
  public UpstreamTarget upstream(String database, String upstreamRole) {
    return gate.upstream(database, upstreamRole);
  }

  @Override
  public ApprovalService approvals() {
    return gate.approvals();
  }

  @Override
  public AuditTrail audit() {
    return gate.audit();
  }

  @Override
  public void authenticationRefused(RequestContext context, String reason) {
    gate.authenticationRefused(context, reason);
  }

  @Override
  public void connection(
      String connectionId, Principal principal, RequestContext context, boolean opened) {
    gate.connection(connectionId, principal, context, opened);
  }

  @Override
  public dev.gatehouse.engine.admission.Admission admit(
      dev.gatehouse.engine.admission.StatementRequest request) {
    return gate.admit(request);
  }

  @Override
  public dev.gatehouse.engine.admission.Run catalogRead(
      Principal principal,
      RequestContext context,
      String connectionId,
      Verdict allowedBy,
      List<dev.gatehouse.engine.sql.TableRef> disclosed) {
    return gate.catalogRead(principal, context, connectionId, allowedBy, disclosed);
  }

  private static String channel(RequestContext context) {
    return context == null || context.channel() == null
        ? "unknown"
        : context.channel().name().toLowerCase(Locale.ROOT);
  }
}
