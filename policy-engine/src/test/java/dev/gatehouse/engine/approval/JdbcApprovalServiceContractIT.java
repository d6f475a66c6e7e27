package dev.gatehouse.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.AuditFixtures;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.OffsetClock;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL-backed approval service held to the approval service contract. */
class JdbcApprovalServiceContractIT extends ApprovalServiceContract {

  private final List<AutoCloseable> open = new ArrayList<>();

  @Override
  ApprovalService service(ApproverPolicy approvers, OffsetClock clock) {
    try {
      ControlDatabase db = AuditFixtures.controlDatabase();
      open.add(db);
      AuditKey key = AuditFixtures.randomKey();
      JdbcAuditTrail trail =
          JdbcAuditTrail.start(
              db, AuditFixtures.config("gw-contract", key, Files.createTempDirectory("spool-c")));
      open.add(trail);
      Duration tick = Duration.ofMillis(200);
      JdbcApprovalService service =
          JdbcApprovalService.start(
              db,
              ApprovalConfig.defaults().withExpiry(TTL).withIntervals(tick, tick, tick),
              approvers,
              List.of(new LogApprovalNotifier()),
              trail,
              clock);
      open.add(service);
      return service;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void callersWaitingForADecisionAreCountedUntilItComes() throws Exception {
    JdbcApprovalService s = (JdbcApprovalService) service(DBA_APPROVES, clock);
    ApprovalRequest r =
        s.request(
            analyst,
            AuditFixtures.context("shop"),
            DROP,
            List.of(),
            AuditFixtures.decision(Effect.REQUIRE_APPROVAL, "ddl-approval"));
    assertThat(s.waiters(r.id())).isZero();
    CompletableFuture<ApprovalRequest> waiting = s.awaitDecision(r.id(), Duration.ofSeconds(30));
    assertThat(s.waiters(r.id())).isEqualTo(1);
    s.approve(r.id(), dba);
    assertThat(waiting.get(10, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.APPROVED);
    Eventually.await("the waiter gone", Duration.ofSeconds(10), () -> s.waiters(r.id()) == 0);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }
}
