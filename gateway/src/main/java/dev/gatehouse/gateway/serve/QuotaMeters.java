package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.quota.Quotas;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The quotas' metrics: what each holder holds now, per quota, and the refusals. The holder is the
 * principal (its subject), the upstream role ({@code upstream-per-role}) or {@code gateway} (the
 * upstream budget). One series per principal seen, so their number is the number of identities that
 * used the gateway since it started.
 */
final class QuotaMeters implements Quotas.Observer {

  private final MeterRegistry registry;

  QuotaMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void tracking(Quotas.Quota quota, String key, AtomicInteger inUse) {
    Gauge.builder("gatehouse.quota.in.use", inUse, AtomicInteger::get)
        .description("what a principal, an upstream role or the gateway holds now, per quota")
        .tag("quota", name(quota))
        .tag("holder", key.isEmpty() ? "gateway" : key)
        .register(registry);
  }

  @Override
  public void refused(Quotas.Quota quota, String key) {
    Counter.builder("gatehouse.quota.refusals")
        .description("requests refused with 53300 because a quota was full")
        .tag("quota", name(quota))
        .tag("holder", key.isEmpty() ? "gateway" : key)
        .register(registry)
        .increment();
  }

  private static String name(Quotas.Quota quota) {
    return quota.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
