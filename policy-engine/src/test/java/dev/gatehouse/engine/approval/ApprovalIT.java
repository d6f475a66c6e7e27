package dev.gatehouse.engine.approval;

import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static dev.gatehouse.engine.audit.AuditFixtures.decision;
import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.audit.AuditFixtures;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The approval workflow against the real test PostgreSQL, with two service instances. */
class ApprovalIT {

  static final ApproverPolicy DBA_APPROVES =
      (approver, request) -> approver.groups().contains("dba");
  static final String DROP = "DROP TABLE app.audit_scratch";

  final Principal analyst = principal(ReferencePrincipal.ANALYST);
  final Principal dba = principal(ReferencePrincipal.DBA);
  final Principal supportLead = principal(ReferencePrincipal.SUPPORT_LEAD);
  final List<AutoCloseable> open = new ArrayList<>();
  ControlDatabase db;

  @BeforeEach
  void controlDatabase() {
    db = AuditFixtures.controlDatabase();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    db.close();
  }

  JdbcApprovalService instance(String name, ApprovalConfig config, List<ApprovalNotifier> notifiers)
      throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    JdbcAuditTrail trail =
        JdbcAuditTrail.start(
            db, AuditFixtures.config(name, key, Files.createTempDirectory("spool-" + name)));
    open.add(trail);
    JdbcApprovalService service =
        JdbcApprovalService.start(db, config, DBA_APPROVES, notifiers, trail, Clock.systemUTC());
    open.add(service);
    return service;
  }

  JdbcApprovalService instance(String name) throws Exception {
    // Polling is set far away, so only a notification can wake a waiter in time.
    return instance(
        name,
        ApprovalConfig.defaults()
            .withIntervals(Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMillis(200)),
        List.of(new LogApprovalNotifier()));
  }

  ApprovalRequest requestDrop(ApprovalService service, Principal who) {
    return service.request(
        who,
        context("shop"),
        DROP + ";",
        List.of(),
        decision(Effect.REQUIRE_APPROVAL, "ddl-approval"));
  }

  @Test
  void approvalThroughOneInstanceWakesWaiterOnAnother() throws Exception {
    JdbcApprovalService a = instance("gw-a");
    JdbcApprovalService b = instance("gw-b");
    awaitListening(a);
    awaitListening(b);
    ApprovalRequest r = requestDrop(a, analyst);
    CompletableFuture<ApprovalRequest> waiting = b.awaitDecision(r.id(), Duration.ofSeconds(30));
    // Another request decided on A wakes B: by then a spurious wake of the first would have come.
    ApprovalRequest other = requestDrop(a, analyst);
    CompletableFuture<ApprovalRequest> otherSeen =
        b.awaitDecision(other.id(), Duration.ofSeconds(30));
    a.cancel(other.id(), "asked twice");
    assertThat(otherSeen.get(10, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(waiting).isNotDone();
    assertThat(b.pending()).extracting(ApprovalRequest::id).contains(r.id());

    ApprovalRequest approved = a.approve(r.id(), dba);
    long decided = System.nanoTime();
    ApprovalRequest seen = waiting.get(10, TimeUnit.SECONDS);
    long latencyMicros = (System.nanoTime() - decided) / 1_000;
    System.out.printf(
        "approval: instance B woke %.2f ms after instance A approved%n", latencyMicros / 1000.0);
    assertThat(seen.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(seen.decidedBy()).isEqualTo(dba.label());
    assertThat(approved.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(latencyMicros).isLessThan(5_000_000);

    // Used once, through the other instance, for exactly the statement it was asked for.
    assertThat(b.consume(r.id(), analyst, "shop", "  " + DROP + " ", List.of()).state())
        .isEqualTo(ApprovalState.USED);
    assertThatThrownBy(() -> a.consume(r.id(), analyst, "shop", DROP, List.of()))
        .isInstanceOf(ApprovalException.class)
        .hasMessageContaining("already used");
    awaitAudit("APPROVED", 1);
    awaitAudit("USED", 1);
    awaitAudit("REFUSED", 1);
  }

  @Test
  void pollingTakesOverWhileNotificationsAreLost() throws Exception {
    JdbcApprovalService a = instance("gw-a");
    JdbcApprovalService b =
        instance(
            "gw-b",
            ApprovalConfig.defaults()
                .withIntervals(
                    Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMinutes(5)),
            List.of());
    awaitListening(b);
    b.dropNotificationConnection();
    Eventually.holdsWithin(Duration.ofSeconds(5), () -> !b.listening());
    assertThat(b.listening()).isFalse();
    ApprovalRequest r = requestDrop(a, analyst);
    CompletableFuture<ApprovalRequest> waiting = b.awaitDecision(r.id(), Duration.ofSeconds(30));
    a.deny(r.id(), dba, "not during business hours");
    ApprovalRequest seen = waiting.get(10, TimeUnit.SECONDS);
    assertThat(seen.state()).isEqualTo(ApprovalState.DENIED);
    assertThat(seen.decisionReason()).isEqualTo("not during business hours");
    assertThatThrownBy(() -> b.consume(r.id(), analyst, "shop", DROP, List.of()))
        .isInstanceOf(ApprovalException.class)
        .hasMessageContaining("denied");
    awaitAudit("DENIED", 1);
  }

  @Test
  void requestExpiresAndWaiterIsWoken() throws Exception {
    JdbcApprovalService a =
        instance(
            "gw-a",
            ApprovalConfig.defaults()
                .withExpiry(Duration.ofSeconds(1))
                .withIntervals(
                    Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMillis(200)),
            List.of(new LogApprovalNotifier()));
    JdbcApprovalService b = instance("gw-b");
    awaitListening(b);
    ApprovalRequest r = requestDrop(a, analyst);
    ApprovalRequest seen =
        b.awaitDecision(r.id(), Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
    assertThat(seen.state()).isEqualTo(ApprovalState.EXPIRED);
    assertThatThrownBy(() -> b.approve(r.id(), dba))
        .isInstanceOf(ApprovalException.class)
        .hasMessageContaining("is expired");
    assertThat(a.pending()).extracting(ApprovalRequest::id).doesNotContain(r.id());
    awaitAudit("EXPIRED", 1);

    // A still-pending request comes back as such when the wait times out.
    ApprovalRequest other = requestDrop(b, analyst);
    assertThat(b.awaitDecision(other.id(), Duration.ofMillis(100)).get(5, TimeUnit.SECONDS).state())
        .isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void requesterAndNonApproversCannotDecide() throws Exception {
    JdbcApprovalService a = instance("gw-a");
    ApprovalRequest own = requestDrop(a, dba);
    assertThatThrownBy(() -> a.approve(own.id(), dba))
        .isInstanceOf(ApprovalException.class)
        .hasMessage("`dba` cannot decide their own request `" + own.id() + "`");
    assertThatThrownBy(() -> a.deny(own.id(), dba, "no"))
        .isInstanceOf(ApprovalException.class)
        .hasMessageContaining("their own request");
    ApprovalRequest r = requestDrop(a, analyst);
    assertThatThrownBy(() -> a.approve(r.id(), supportLead))
        .isInstanceOf(ApprovalException.class)
        .hasMessage("`support-lead` may not decide approval requests");
    assertThat(a.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
    assertThat(a.find(own.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
    Principal expiredDba =
        new Principal(
            dba.issuer(),
            dba.subject(),
            dba.kind(),
            dba.groups(),
            dba.clientId(),
            dba.claims(),
            java.time.Instant.now().minusSeconds(1));
    assertThatThrownBy(() -> a.approve(r.id(), expiredDba))
        .isInstanceOf(ApprovalException.class)
        .hasMessage("the identity of `dba` has expired");
    awaitAudit("REFUSED", 4);
  }

  @Test
  void approvalIsBoundToPrincipalDatabaseStatementAndParameters() throws Exception {
    JdbcApprovalService a = instance("gw-a");
    String update = "UPDATE app.orders SET status = $1 WHERE id = $2";
    ApprovalRequest r =
        a.request(
            analyst,
            context("shop"),
            update,
            java.util.Arrays.asList("cancelled", null),
            decision(Effect.REQUIRE_APPROVAL, "bulk-write"));
    a.approve(r.id(), dba);
    List<String> params = java.util.Arrays.asList("cancelled", null);
    assertRefused(a, r, supportLead, "shop", update, params, "another principal");
    assertRefused(a, r, analyst, "shop_copy", update, params, "is for database `shop`");
    assertRefused(
        a, r, analyst, "shop", update.replace("$2", "$2 OR true"), params, "different statement");
    assertRefused(a, r, analyst, "shop", update, List.of("cancelled", "7"), "different parameters");
    assertRefused(
        a, r, analyst, "shop", update, List.of("cancelled", "NULL"), "different parameters");
    assertThat(a.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(a.consume(r.id(), analyst, "shop", update + ";", params).state())
        .isEqualTo(ApprovalState.USED);
    assertRefused(a, r, analyst, "shop", update, params, "already used");
    awaitAudit("REFUSED", 6);
    awaitAudit("USED", 1);
    awaitAudit("REQUESTED", 1);
  }

  @Test
  void cancelledRequestCannotBeApproved() throws Exception {
    JdbcApprovalService a = instance("gw-a");
    ApprovalRequest r = requestDrop(a, analyst);
    CompletableFuture<ApprovalRequest> waiting = a.awaitDecision(r.id(), Duration.ofSeconds(30));
    assertThat(a.cancel(r.id(), "client went away").state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(waiting.get(5, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.CANCELLED);
    assertThatThrownBy(() -> a.approve(r.id(), dba)).hasMessageContaining("is cancelled");
    awaitAudit("CANCELLED", 1);
  }

  @Test
  void failingNotifiersNeverLoseTheRequest() throws Exception {
    // Counted down when each notifier has failed on `created`: the dispatch only logs after that.
    CountDownLatch bothFailed = new CountDownLatch(2);
    ApprovalNotifier broken =
        new ApprovalNotifier() {
          @Override
          public void created(ApprovalRequest request) {
            bothFailed.countDown();
            throw new IllegalStateException("slack is down");
          }

          @Override
          public void decided(ApprovalRequest request) {
            throw new IllegalStateException("slack is down");
          }

          @Override
          public void expired(ApprovalRequest request) {
            throw new IllegalStateException("slack is down");
          }
        };
    // A webhook nobody listens on: connection refused on every attempt.
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    WebhookApprovalNotifier deadHook =
        new WebhookApprovalNotifier(
            new WebhookApprovalNotifier.Settings(
                java.net.URI.create("http://127.0.0.1:" + closedPort + "/hook"),
                Duration.ofMillis(300),
                2,
                Duration.ofMillis(10),
                null));
    JdbcApprovalService a =
        instance(
            "gw-a",
            ApprovalConfig.defaults()
                .withIntervals(
                    Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMillis(200)),
            List.of(broken, countingFailures(deadHook, bothFailed)));
    ApprovalRequest r = requestDrop(a, analyst);
    assertThat(bothFailed.await(10, TimeUnit.SECONDS)).as("both notifiers tried").isTrue();
    assertThat(a.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
    assertThat(a.pending()).extracting(ApprovalRequest::id).contains(r.id());
    assertThat(a.approve(r.id(), dba).state()).isEqualTo(ApprovalState.APPROVED);
  }

  void assertRefused(
      ApprovalService s,
      ApprovalRequest r,
      Principal who,
      String database,
      String sql,
      List<String> params,
      String message) {
    assertThatThrownBy(() -> s.consume(r.id(), who, database, sql, params))
        .isInstanceOf(ApprovalException.class)
        .hasMessageContaining(message);
  }

  /** {@code notifier}, counting {@code failed} down once its {@code created} has failed. */
  private static ApprovalNotifier countingFailures(
      ApprovalNotifier notifier, CountDownLatch failed) {
    return new ApprovalNotifier() {
      @Override
      public void created(ApprovalRequest request) {
        try {
          notifier.created(request);
        } catch (RuntimeException e) {
          failed.countDown();
          throw e;
        }
      }

      @Override
      public void decided(ApprovalRequest request) {
        notifier.decided(request);
      }

      @Override
      public void expired(ApprovalRequest request) {
        notifier.expired(request);
      }
    };
  }

  static void awaitListening(JdbcApprovalService s) {
    Eventually.holdsWithin(Duration.ofSeconds(10), s::listening);
    assertThat(s.listening()).isTrue();
  }

  void awaitAudit(String step, long expected) throws Exception {
    Eventually.holdsWithin(Duration.ofSeconds(10), () -> auditSteps(step) >= expected);
    assertThat(auditSteps(step)).as("audit records of step " + step).isEqualTo(expected);
  }

  private long auditSteps(String step) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM audit_record WHERE kind = 'APPROVAL' AND doc ->> 'step' = '"
                    + step
                    + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
