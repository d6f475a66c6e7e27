package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The packaged gateway of the bench stack with a {@link FaultProxy} between it and each of its
 * databases (the control database and the governed upstream), a short startup timeout (5 s) and
 * idle timeout (4 s), and a {@link Victim} ({@code etl-nightly}) that keeps inserting numbered rows
 * through it.
 */
final class FaultStack implements AutoCloseable {

  static final String TABLE = "pgbench_victim";
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(5);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);

  final BenchStack stack;
  final FaultProxy control;
  final FaultProxy upstream;
  final Gateway gateway;
  final Victim victim;

  private FaultStack(
      BenchStack stack, FaultProxy control, FaultProxy upstream, Gateway gateway, Victim victim) {
    this.stack = stack;
    this.control = control;
    this.upstream = upstream;
    this.gateway = gateway;
    this.victim = victim;
  }

  static FaultStack start(String instanceId) throws Exception {
    return start(instanceId, "local-log");
  }

  /** As {@link #start(String)}, with {@code audit.durability} set to {@code durability}. */
  static FaultStack start(String instanceId, String durability) throws Exception {
    BenchStack stack = BenchStack.start();
    stack.admin(
        "CREATE TABLE public." + TABLE + " (n int)",
        "GRANT USAGE ON SCHEMA public TO gatehouse_writer",
        "GRANT SELECT, INSERT ON public." + TABLE + " TO gatehouse_writer");
    FaultProxy control = FaultProxy.start(stack.pg().port());
    FaultProxy upstream = FaultProxy.start(stack.pg().port());
    String direct = ":" + stack.pg().port() + "/" + stack.controlDatabase();
    String proxied = ":" + control.port() + "/" + stack.controlDatabase();
    Gateway gateway =
        stack.gateway(
            instanceId,
            List.of("-Xmx256m"),
            config -> {
              String edited =
                  config
                      .replace(direct, proxied)
                      .replace("startupTimeout: 30s", "startupTimeout: 5s")
                      .replace("idleTimeout: 0s", "idleTimeout: 4s")
                      .replaceAll("durability: [a-z-]+", "durability: " + durability);
              if (!edited.contains(proxied)
                  || !edited.contains("startupTimeout: 5s")
                  || !edited.contains("idleTimeout: 4s")
                  || !edited.contains("durability: " + durability)) {
                throw new IllegalStateException("the example config changed shape:\n" + config);
              }
              return edited;
            },
            Map.of("GATEHOUSE_PG_PORT", String.valueOf(upstream.port())));
    Victim victim =
        new Victim(stack, gateway::wirePort, TABLE, ReferencePrincipal.ETL_NIGHTLY, 1, 20).start();
    FaultStack f = new FaultStack(stack, control, upstream, gateway, victim);
    assertThat(victim.awaitAcked(0, 20, Duration.ofSeconds(60)))
        .as("the victim works before any fault")
        .isTrue();
    return f;
  }

  /** Asserts the victim had {@code count} more statements acknowledged within {@code timeout}. */
  void assertVictimServed(int count, Duration timeout) throws InterruptedException {
    int before = victim.ackedCount();
    assertThat(victim.awaitAcked(before, count, timeout))
        .as("the victim got %d statements through within %s", count, timeout)
        .isTrue();
  }

  /** Asserts every statement the victim saw succeed so far is in the trail. */
  void assertTrailHoldsAcknowledged() throws Exception {
    Trail.assertHoldsAcknowledged(stack, TABLE, victim.acked());
  }

  String token(ReferencePrincipal who) {
    return stack.token(who);
  }

  int wirePort() {
    return gateway.wirePort();
  }

  /**
   * Stops the victim, asserts the trail's completed statements are exactly the acknowledged ones
   * and that {@code gatehouse audit verify} passes; returns verify's output.
   */
  String finish() throws Exception {
    victim.close();
    Trail.assertEqualsAcknowledged(stack, TABLE, victim.acked());
    return Trail.verify(stack, gateway);
  }

  @Override
  public void close() throws Exception {
    try {
      victim.close();
    } finally {
      try {
        stack.close();
      } finally {
        control.close();
        upstream.close();
      }
    }
  }
}
