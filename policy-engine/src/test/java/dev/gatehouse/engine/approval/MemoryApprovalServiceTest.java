package dev.gatehouse.engine.approval;

import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static dev.gatehouse.engine.audit.AuditFixtures.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.testkit.OffsetClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-memory test double held to the approval service contract, and its one steering method
 * beyond the port: {@code expire(id)}, which the front ends' tests use instead of waiting out a
 * request's lifetime.
 */
class MemoryApprovalServiceTest extends ApprovalServiceContract {

  @Override
  ApprovalService service(ApproverPolicy approvers, OffsetClock clock) {
    return new MemoryApprovalService(new LogApprovalNotifier(), approvers, clock, TTL);
  }

  /** Records what the double tells its notifier. */
  private static final class Told implements ApprovalNotifier {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void created(ApprovalRequest r) {
      events.add("created " + r.id());
    }

    @Override
    public void decided(ApprovalRequest r) {
      events.add("decided " + r.id() + " " + r.state());
    }

    @Override
    public void expired(ApprovalRequest r) {
      events.add("expired " + r.id());
    }
  }

  private static ApprovalRequest requestDrop(ApprovalService s, Principal who) {
    return s.request(
        who, context("shop"), DROP, List.of(), decision(Effect.REQUIRE_APPROVAL, "ddl-approval"));
  }

  @Test
  void expiringAPendingRequestWakesTheWaiterAndEndsIt() throws Exception {
    Told told = new Told();
    MemoryApprovalService s = new MemoryApprovalService(told, DBA_APPROVES, clock, TTL);
    ApprovalRequest r = requestDrop(s, analyst);
    CompletableFuture<ApprovalRequest> waiting = s.awaitDecision(r.id(), Duration.ofSeconds(30));

    assertThat(s.expire(r.id()).state()).isEqualTo(ApprovalState.EXPIRED);

    assertThat(waiting.get(10, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.EXPIRED);
    assertThat(s.pending()).extracting(ApprovalRequest::id).doesNotContain(r.id());
    assertThatThrownBy(() -> s.approve(r.id(), dba)).isInstanceOf(ApprovalException.class);
    assertThatThrownBy(() -> s.consume(r.id(), analyst, "shop", DROP, List.of()))
        .isInstanceOf(ApprovalException.class);
    assertThat(told.events).containsExactly("created " + r.id(), "expired " + r.id());
  }

  @Test
  void expiringADecidedRequestLeavesTheDecision() throws Exception {
    Told told = new Told();
    MemoryApprovalService s = new MemoryApprovalService(told, DBA_APPROVES, clock, TTL);
    ApprovalRequest r = requestDrop(s, analyst);
    s.approve(r.id(), dba);

    assertThat(s.expire(r.id()).state()).isEqualTo(ApprovalState.APPROVED);

    assertThat(s.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(s.consume(r.id(), analyst, "shop", DROP, List.of()).state())
        .isEqualTo(ApprovalState.USED);
    assertThat(told.events).containsExactly("created " + r.id(), "decided " + r.id() + " APPROVED");
  }
}
