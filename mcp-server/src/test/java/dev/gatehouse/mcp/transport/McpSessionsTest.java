package dev.gatehouse.mcp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.mcp.transport.McpSessions.Ending;
import dev.gatehouse.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A session's lease on a hand-moved clock: idle time, requests in flight, lifetime, token. */
class McpSessionsTest {

  private static final Instant START = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration IDLE = Duration.ofMinutes(30);

  private final ManualClock clock = new ManualClock(START);
  private final Quotas quotas = new Quotas(new QuotaLimits(0, 2, 0, 0, 0, 0, 0, 0), 10, null);
  private final List<String> ended = new ArrayList<>();
  private final List<String> closed = new ArrayList<>();

  private McpSessions sessions(Duration lifetime) {
    McpSessions sessions = new McpSessions(clock, IDLE, lifetime);
    sessions.listener((id, why) -> ended.add(id + ":" + why.word()));
    return sessions;
  }

  private static Principal principal(String subject, Instant expires) {
    return new Principal(
        "https://idp.example.com",
        subject,
        Principal.Kind.PERSON,
        Set.of(),
        null,
        Map.of(),
        expires);
  }

  private static final Principal ANALYST = principal("analyst", START.plus(Duration.ofDays(1)));

  private void open(McpSessions sessions, String id, Principal who) {
    sessions.bind(id, who, quotas.mcpSession(who));
    sessions.attach(id, () -> closed.add(id));
  }

  @Test
  void anIdleSessionEndsAtItsTimeoutAndGivesItsQuotaPlaceBack() {
    McpSessions sessions = sessions(Duration.ZERO);
    open(sessions, "s1", ANALYST);
    open(sessions, "s2", ANALYST);
    clock.advance(IDLE.minusMillis(1));
    sessions.sweep();
    assertThat(ended).isEmpty();
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "analyst")).isEqualTo(2);

    clock.advance(Duration.ofMillis(1));
    sessions.sweep();
    assertThat(ended).containsExactlyInAnyOrder("s1:idle", "s2:idle");
    assertThat(closed).containsExactlyInAnyOrder("s1", "s2");
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "analyst")).isZero();
    assertThat(sessions.enter("s1", ANALYST)).isNull();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void aSessionInUseStaysAndIdleTimeCountsFromTheEndOfItsLastRequest() {
    McpSessions sessions = sessions(Duration.ZERO);
    open(sessions, "s1", ANALYST);
    // A request that runs longer than the idle timeout: the session lives through it.
    McpSessions.Use call = sessions.enter("s1", ANALYST);
    assertThat(call).isNotNull();
    clock.advance(IDLE.multipliedBy(3));
    sessions.sweep();
    assertThat(ended).isEmpty();
    call.close();
    clock.advance(IDLE.minusSeconds(1));
    sessions.sweep();
    assertThat(ended).isEmpty();
    // Requests every 29 minutes for 5 hours keep it alive.
    for (int i = 0; i < 10; i++) {
      try (McpSessions.Use use = sessions.enter("s1", ANALYST)) {
        assertThat(use).isNotNull();
      }
      clock.advance(IDLE.minusMinutes(1));
      sessions.sweep();
    }
    assertThat(ended).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    sessions.sweep();
    assertThat(ended).containsExactly("s1:idle");
  }

  @Test
  void aRequestOnASessionPastItsDeadlineEndsItBeforeAnySweep() {
    McpSessions sessions = sessions(Duration.ZERO);
    open(sessions, "s1", ANALYST);
    clock.advance(IDLE);
    assertThat(sessions.enter("s1", ANALYST)).isNull();
    assertThat(ended).containsExactly("s1:idle");
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "analyst")).isZero();
  }

  @Test
  void anotherIdentityNeitherUsesNorKeepsAliveNorEndsTheSession() {
    McpSessions sessions = sessions(Duration.ZERO);
    open(sessions, "s1", ANALYST);
    clock.advance(IDLE.minusSeconds(1));
    assertThat(sessions.enter("s1", principal("contractor", START.plus(Duration.ofDays(1)))))
        .isNull();
    assertThat(ended).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    sessions.sweep();
    assertThat(ended).containsExactly("s1:idle");
  }

  @Test
  void aBusySessionEndsAtItsMaximumLifetime() {
    McpSessions sessions = sessions(Duration.ofHours(2));
    open(sessions, "s1", ANALYST);
    for (int i = 0; i < 8; i++) {
      McpSessions.Use call = sessions.enter("s1", ANALYST);
      assertThat(call).as("request %d", i).isNotNull();
      clock.advance(Duration.ofMinutes(15));
      call.close();
      sessions.sweep();
    }
    // Two hours after it began, requests every 15 minutes notwithstanding.
    assertThat(ended).containsExactly("s1:lifetime");
  }

  @Test
  void aSessionEndsWhenTheLastTokenItsOwnerPresentedExpires() {
    McpSessions sessions = sessions(Duration.ZERO);
    Instant firstExpiry = START.plus(Duration.ofMinutes(10));
    open(sessions, "s1", principal("analyst", firstExpiry));
    // A refreshed token presented before the first expires carries the session on.
    clock.advance(Duration.ofMinutes(9));
    Instant secondExpiry = START.plus(Duration.ofMinutes(20));
    sessions.enter("s1", principal("analyst", secondExpiry)).close();
    clock.advance(Duration.ofMinutes(2));
    sessions.sweep();
    assertThat(ended).isEmpty();
    clock.advance(Duration.ofMinutes(9));
    sessions.sweep();
    assertThat(ended).containsExactly("s1:token-expired");
  }

  @Test
  void theTransportClosingASessionSaysWhoEndedIt() {
    McpSessions sessions = sessions(Duration.ZERO);
    open(sessions, "deleted", ANALYST);
    open(sessions, "evicted", ANALYST);
    McpSessions.Use delete = sessions.enter("deleted", ANALYST);
    delete.deleting();
    sessions.transportClosed("deleted");
    delete.close();
    sessions.transportClosed("evicted");
    assertThat(ended).containsExactly("deleted:client", "evicted:idle");
    // The transport closed them itself: it is not asked to close them again.
    assertThat(closed).isEmpty();
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "analyst")).isZero();
  }

  @Test
  void shutdownEndsEverySessionOnce() {
    McpSessions sessions = sessions(Duration.ZERO);
    open(sessions, "s1", ANALYST);
    open(sessions, "s2", ANALYST);
    sessions.close();
    sessions.transportClosed("s1");
    sessions.end("s2", Ending.CLIENT);
    assertThat(ended).containsExactlyInAnyOrder("s1:shutdown", "s2:shutdown");
    assertThat(quotas.inUse(Quota.MCP_SESSIONS, "analyst")).isZero();
  }
}
