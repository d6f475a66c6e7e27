package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.admission.AdmissionObserver;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.RequestContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gate's metrics, as admission reports them: decisions by effect and channel, decision and
 * statement latency histograms, authentication failures, and the audit records not yet durable (the
 * audit queue).
 */
final class GateMeters implements AdmissionObserver {

  private final MeterRegistry registry;
  private final AtomicLong auditPending = new AtomicLong();
  private final Timer decisionTimer;
  private final Timer statementTimer;
  private final java.util.Map<String, Counter> statements =
      new java.util.concurrent.ConcurrentHashMap<>();

  GateMeters(MeterRegistry registry) {
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
  public void decided(RequestContext context, Effect effect, long nanos) {
    decisionTimer.record(nanos, TimeUnit.NANOSECONDS);
    // Looked up once per decision and channel: registering on every statement cost the registry's
    // lookup each time (issue 15's profile).
    statements
        .computeIfAbsent(
            effect.name() + ' ' + channel(context),
            key ->
                Counter.builder("gatehouse.statements")
                    .description("messages decided, by decision and channel")
                    .tag("decision", effect.name().toLowerCase(Locale.ROOT))
                    .tag("channel", channel(context))
                    .register(registry))
        .increment();
  }

  @Override
  public void recordOpened(CompletableFuture<Void> durable) {
    auditPending.incrementAndGet();
    durable.whenComplete((ok, error) -> auditPending.decrementAndGet());
  }

  @Override
  public void completed(Duration duration) {
    statementTimer.record(duration);
  }

  @Override
  public void authenticationFailed(RequestContext context) {
    Counter.builder("gatehouse.authentication.failures")
        .tag("channel", channel(context))
        .register(registry)
        .increment();
  }

  private static String channel(RequestContext context) {
    return context == null || context.channel() == null
        ? "unknown"
        : context.channel().name().toLowerCase(Locale.ROOT);
  }
}
