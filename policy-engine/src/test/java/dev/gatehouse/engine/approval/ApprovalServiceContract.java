package dev.gatehouse.engine.approval;

import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static dev.gatehouse.engine.audit.AuditFixtures.decision;
import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.testkit.OffsetClock;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ApprovalService} does, asserted once and run against the PostgreSQL-backed
 * service and against the in-memory test double, so the double cannot drift from the real thing.
 */
abstract class ApprovalServiceContract {

  static final ApproverPolicy DBA_APPROVES =
      (approver, request) -> approver.groups().contains("dba");
  static final Duration TTL = Duration.ofMinutes(5);
  static final String DROP = "DROP TABLE app.contract_scratch";

  final Principal analyst = principal(ReferencePrincipal.ANALYST);
  final Principal dba = principal(ReferencePrincipal.DBA);
  final Principal supportLead = principal(ReferencePrincipal.SUPPORT_LEAD);

  /** The service's clock: expiry is reached by moving it. */
  final OffsetClock clock = new OffsetClock();

  /** A fresh service whose approvers are the dba group, expiring requests after {@link #TTL}. */
  abstract ApprovalService service(ApproverPolicy approvers, OffsetClock clock);

  private ApprovalService service() {
    return service(DBA_APPROVES, clock);
  }

  private static ApprovalRequest requestDrop(ApprovalService s, Principal who) {
    return s.request(
        who, context("shop"), DROP, List.of(), decision(Effect.REQUIRE_APPROVAL, "ddl-approval"));
  }

  @Test
  void aRequestIsPendingAndFoundByItsId() {
    ApprovalService s = service();
    ApprovalRequest r = requestDrop(s, analyst);
    assertThat(r.state()).isEqualTo(ApprovalState.PENDING);
    assertThat(r.requesterSubject()).isEqualTo(analyst.subject());
    assertThat(r.database()).isEqualTo("shop");
    assertThat(r.ruleIds()).containsExactly("ddl-approval");
    assertThat(r.expiresAt()).isAfter(r.createdAt());
    assertThat(s.find(r.id())).hasValueSatisfying(f -> assertThat(f.id()).isEqualTo(r.id()));
    assertThat(s.pending()).extracting(ApprovalRequest::id).contains(r.id());
  }

  @Test
  void anApprovalWakesTheWaiterAndIsUsedOnceForItsStatement() throws Exception {
    ApprovalService s = service();
    ApprovalRequest r = requestDrop(s, analyst);
    CompletableFuture<ApprovalRequest> waiting = s.awaitDecision(r.id(), Duration.ofSeconds(30));
    ApprovalRequest approved = s.approve(r.id(), dba);
    assertThat(approved.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(approved.decidedBy()).isEqualTo(dba.label());
    assertThat(waiting.get(10, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(s.pending()).extracting(ApprovalRequest::id).doesNotContain(r.id());

    assertThatThrownBy(() -> s.consume(r.id(), supportLead, "shop", DROP, List.of()))
        .isInstanceOf(ApprovalException.class);
    assertThatThrownBy(() -> s.consume(r.id(), analyst, "shop", "DROP TABLE app.other", List.of()))
        .isInstanceOf(ApprovalException.class);
    assertThat(s.consume(r.id(), analyst, "shop", DROP, List.of()).state())
        .isEqualTo(ApprovalState.USED);
    assertThatThrownBy(() -> s.consume(r.id(), analyst, "shop", DROP, List.of()))
        .isInstanceOf(ApprovalException.class);
  }

  @Test
  void aWaitThatTimesOutReturnsTheStillPendingRequest() throws Exception {
    ApprovalService s = service();
    ApprovalRequest r = requestDrop(s, analyst);
    ApprovalRequest seen = s.awaitDecision(r.id(), Duration.ofMillis(50)).get(10, TimeUnit.SECONDS);
    assertThat(seen.state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void nobodyDecidesTheirOwnRequestAndOnlyApproversDecide() {
    ApprovalService s = service();
    ApprovalRequest mine = requestDrop(s, dba);
    assertThatThrownBy(() -> s.approve(mine.id(), dba)).isInstanceOf(ApprovalException.class);
    ApprovalRequest r = requestDrop(s, analyst);
    assertThatThrownBy(() -> s.approve(r.id(), supportLead)).isInstanceOf(ApprovalException.class);
    assertThat(s.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aRequestIsDecidedOnce() throws Exception {
    ApprovalService s = service();
    ApprovalRequest r = requestDrop(s, analyst);
    ApprovalRequest denied = s.deny(r.id(), dba, "not during business hours");
    assertThat(denied.state()).isEqualTo(ApprovalState.DENIED);
    assertThat(denied.decisionReason()).isEqualTo("not during business hours");
    assertThatThrownBy(() -> s.approve(r.id(), dba)).isInstanceOf(ApprovalException.class);
    assertThatThrownBy(() -> s.consume(r.id(), analyst, "shop", DROP, List.of()))
        .isInstanceOf(ApprovalException.class);
    assertThat(s.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.DENIED);
  }

  @Test
  void aDenialNeedsAReason() {
    ApprovalService s = service();
    ApprovalRequest r = requestDrop(s, analyst);
    assertThatThrownBy(() -> s.deny(r.id(), dba, " ")).isInstanceOf(ApprovalException.class);
    assertThat(s.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aCancelledRequestWakesTheWaiterAndCannotBeApproved() throws Exception {
    ApprovalService s = service();
    ApprovalRequest r = requestDrop(s, analyst);
    CompletableFuture<ApprovalRequest> waiting = s.awaitDecision(r.id(), Duration.ofSeconds(30));
    assertThat(s.cancel(r.id(), "client went away").state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(waiting.get(10, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.CANCELLED);
    assertThatThrownBy(() -> s.approve(r.id(), dba)).isInstanceOf(ApprovalException.class);
  }

  @Test
  void anExpiredRequestCannotBeApprovedAndIsNoLongerPending() {
    ApprovalService s = service();
    ApprovalRequest r = requestDrop(s, analyst);
    clock.advance(TTL.plusSeconds(1));
    assertThatThrownBy(() -> s.approve(r.id(), dba)).isInstanceOf(ApprovalException.class);
    assertThat(s.pending()).extracting(ApprovalRequest::id).doesNotContain(r.id());
  }

  @Test
  void anUnknownRequestIsRefused() {
    ApprovalService s = service();
    java.util.UUID unknown = java.util.UUID.randomUUID();
    assertThat(s.find(unknown)).isEmpty();
    assertThatThrownBy(() -> s.approve(unknown, dba)).isInstanceOf(ApprovalException.class);
    assertThatThrownBy(() -> s.consume(unknown, analyst, "shop", DROP, List.of()))
        .isInstanceOf(ApprovalException.class);
  }
}
