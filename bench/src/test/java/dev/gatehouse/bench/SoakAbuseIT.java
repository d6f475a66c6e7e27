package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's abuse against the packaged gateway (example config with a larger startup reserve, see
 * {@link #reserveOfTwoAddresses}; reference policy) while a victim ({@code etl-nightly}) keeps
 * inserting through it: its latency is measured unattacked and under attack in the same run; its
 * statements' p99 must stay within {@link #FACTOR} times their unattacked p99 or {@link #FLOOR},
 * whichever is larger (the floor because the attackers, the victim and the gateway share one loaded
 * 2-core machine, where any multiple of a p99 of a few milliseconds is noise), its connects' p99
 * within {@link #CONNECT_BOUND}. Afterwards the trail holds exactly the statements the victim saw
 * succeed and {@code gatehouse audit verify} passes.
 *
 * <p>CI runs 8 s unattacked and 16 s under attack (40 s before stop 37, 24 in stop 37: trimmed to
 * keep {@code ./mvnw verify} well under 20 minutes; every attack still runs and is answered many
 * times over); {@code -Dgatehouse.soak.seconds=N} runs N seconds under attack (and N/2 unattacked)
 * for a longer soak (docs/operations.md).
 */
class SoakAbuseIT {

  static final double FACTOR = 5;
  static final Duration FLOOR = Duration.ofSeconds(2);

  /**
   * Connecting is bounded apart: a connect waits for token verification and an upstream session as
   * well. With analysis off the event loop a connect under attack measured 1.3 s at p99 (76 ms
   * unattacked) on the shared 2-core machine, against 4.3 s while analysis held the loop.
   */
  static final Duration CONNECT_BOUND = Duration.ofSeconds(5);

  /**
   * Idle analyst sessions held through the attack: under the principal's wire-session quota (100,
   * examples/gatehouse.yaml), so the analyst's deep-nesting attackers still get in and reach the
   * parser. At 100 they were all refused at login (53300), which proves the quota, not the parser.
   */
  static final int IDLE_SESSIONS = 90;

  /**
   * The victim connects from an address of its own, as a job does from its own host; every attack
   * comes from 127.0.0.1. Sharing the attackers' address, a victim is only as safe as the slowest
   * of its handshakes against their churn of silent sockets: under a flood of 200 it was closed for
   * room twice in CI runs (stop 27 and 28), its startup packet unread behind a burst of the
   * attackers' accepts.
   */
  static final String VICTIM_ADDRESS = "127.0.0.2";

  /**
   * The example config with a startup reserve of twice the per-address bound (128 and 64), so one
   * address, the attackers', never fills it: docs/operations.md advises a per-address bound below
   * the reserve where clients have addresses of their own. The attackers' own bound is unchanged.
   */
  static String reserveOfTwoAddresses(String config) {
    String reserve = "unauthenticatedConnections: 64 ";
    if (!config.contains(reserve) || !config.contains("unauthenticatedPerAddress: 64 ")) {
      throw new IllegalStateException(
          "examples/gatehouse.yaml no longer has the quotas this test sets");
    }
    return config.replace(reserve, "unauthenticatedConnections: 128 ");
  }

  @Test
  void aVictimKeepsWorkingWithinItsBoundWhileTheGatewayIsAttacked() throws Exception {
    Duration attack = Duration.ofSeconds(Integer.getInteger("gatehouse.soak.seconds", 16));
    Duration baseline = attack.dividedBy(2);
    try (BenchStack stack = BenchStack.start()) {
      stack.admin(
          "CREATE TABLE public." + FaultStack.TABLE + " (n int)",
          "GRANT USAGE ON SCHEMA public TO gatehouse_writer",
          "GRANT SELECT, INSERT ON public." + FaultStack.TABLE + " TO gatehouse_writer");
      Gateway gateway =
          stack.gateway(
              "soak-1", List.of("-Xmx512m"), SoakAbuseIT::reserveOfTwoAddresses, Map.of());
      Victim victim =
          new Victim(
                  stack, gateway::wirePort, FaultStack.TABLE, ReferencePrincipal.ETL_NIGHTLY, 1, 20)
              .from(VICTIM_ADDRESS);
      List<Attacks.Tally> tallies;
      long idleOpen;
      long t0;
      long t1;
      long t2;
      try (victim) {
        victim.start();
        assertThat(victim.awaitAcked(0, 50, Duration.ofSeconds(60))).isTrue(); // warm
        t0 = System.nanoTime();
        Thread.sleep(baseline.toMillis()); // the measurement window, not a wait for "nothing"
        t1 = System.nanoTime();
        Attacks attacks = new Attacks(stack, gateway);
        try (attacks) {
          attacks.start(IDLE_SESSIONS);
          Thread.sleep(attack.toMillis());
          t2 = System.nanoTime();
        }
        idleOpen = attacks.idleStillOpen();
        tallies = attacks.tallies();
      }
      List<Victim.Sample> quiet = victim.samplesBetween(t0, t1);
      List<Victim.Sample> loud = victim.samplesBetween(t1, t2);
      Map<String, double[]> p99 =
          Map.of(
              "statement",
              new double[] {p99(quiet, false), p99(loud, false)},
              "connect",
              new double[] {p99(quiet, true), p99(loud, true)});
      System.out.printf(
          "soak: victim unattacked %d statements in %d s, p99 %.1f ms, connect p99 %.1f ms;"
              + " under attack %d statements in %d s, p99 %.1f ms, connect p99 %.1f ms;"
              + " failures %s%n",
          count(quiet, false),
          baseline.toSeconds(),
          p99.get("statement")[0],
          p99.get("connect")[0],
          count(loud, false),
          attack.toSeconds(),
          p99.get("statement")[1],
          p99.get("connect")[1],
          victim.failuresSince(t0));
      tallies.forEach(t -> System.out.println("soak: attack " + t));
      System.out.println("soak: idle sessions still open at the end: " + idleOpen);

      assertThat(victim.failuresSince(t0)).as("the victim's failures").isEmpty();
      assertThat(count(loud, false)).as("victim statements under attack").isGreaterThan(20);
      double[] statement = p99.get("statement");
      assertThat(statement[1])
          .as("victim statement p99 under attack (unattacked %.1f ms)", statement[0])
          .isLessThanOrEqualTo(Math.max(FACTOR * statement[0], FLOOR.toMillis()));
      double[] connect = p99.get("connect");
      assertThat(connect[1])
          .as("victim connect p99 under attack (unattacked %.1f ms)", connect[0])
          .isLessThanOrEqualTo(CONNECT_BOUND.toMillis());
      assertAttacksRanAndWereAnswered(tallies, idleOpen);

      Trail.assertEqualsAcknowledged(stack, FaultStack.TABLE, victim.acked());
      System.out.println("soak: audit verify: " + Trail.verify(stack, gateway));
    }
  }

  private static void assertAttacksRanAndWereAnswered(List<Attacks.Tally> tallies, long idleOpen) {
    assertThat(tallies)
        .extracting(Attacks.Tally::attack)
        .contains(
            "deep nesting, granted nothing",
            "deep nesting, granted",
            "huge statement (32 MiB)",
            "malformed frame",
            "mcp session squatting",
            "slowloris");
    for (Attacks.Tally t : tallies) {
      assertThat(t.tries()).as(t.attack()).isPositive();
      switch (t.attack()) {
        // Refused, never run and never a dropped connection: 42501 today; 54001 once the
        // front ends map analysis limits (docs/operations.md, "not yet"). Any wire try may also
        // end before it authenticates: every attack shares the loopback address, and the
        // per-address startup bound closes that address's oldest silent socket (or refuses
        // 53300); such tries are counted apart and never stand in for the attack's answer.
        case "deep nesting, granted nothing", "huge statement (32 MiB)" -> {
          assertThat(t.answers().keySet()).as(t.attack()).containsAnyOf("42501", "54000", "54001");
          assertThat(t.answers().keySet())
              .as(t.attack())
              .isSubsetOf("42501", "54000", "54001", "53300", Attacks.CUT_OFF_IN_STARTUP);
        }
        // Served, or refused as too complex to analyse in time; never a dropped session.
        case "deep nesting, granted" -> {
          assertThat(t.answers().keySet()).as(t.attack()).containsAnyOf("ok", "42501", "54001");
          assertThat(t.answers().keySet())
              .as(t.attack())
              .isSubsetOf("ok", "42501", "54001", "53300", Attacks.CUT_OFF_IN_STARTUP);
        }
        // Every frame sent is answered 08P01.
        case "malformed frame" -> {
          assertThat(t.answers()).as(t.attack()).containsKey("08P01");
          assertThat(t.answers().keySet())
              .as(t.attack())
              .isSubsetOf("08P01", "53300", Attacks.CUT_OFF_IN_STARTUP);
        }
        // The squatter never gets the session and its owner never loses it. An MCP call that
        // waits more than 30 s under attack is unavailability, not squatting; it happened (1 in 5
        // tries), and is allowed until MCP calls are fair too.
        case "mcp session squatting" -> {
          assertThat(t.answers()).containsKey("squatter 404, owner 200");
          assertThat(t.answers().keySet())
              .isSubsetOf("squatter 404, owner 200", "HttpTimeoutException");
        }
        case "slowloris" ->
            assertThat(t.answers().keySet()).isSubsetOf("opened", "closed by the gateway");
        default -> {}
      }
    }
    assertThat(idleOpen).as("idle sessions still open").isEqualTo(IDLE_SESSIONS);
  }

  private static double p99(List<Victim.Sample> samples, boolean connect) {
    return Victim.quantileMillis(
        samples.stream().filter(s -> s.connect() == connect).toList(), 0.99);
  }

  private static long count(List<Victim.Sample> samples, boolean connect) {
    return samples.stream().filter(s -> s.connect() == connect).count();
  }
}
