package dev.gatehouse.slack;

import static dev.gatehouse.slack.testing.BotFixture.eventually;
import static dev.gatehouse.slack.testing.BotFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.engine.approval.JdbcApprovalService;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuditVerifier;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.audit.VerifyReport;
import dev.gatehouse.slack.message.ActionIds;
import dev.gatehouse.slack.outbox.JdbcSlackStore;
import dev.gatehouse.slack.outbox.SlackStore;
import dev.gatehouse.slack.testing.BotFixture;
import dev.gatehouse.slack.testing.SignedCallbacks;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Slack flows on the real approval service, audit trail and Slack store, all in a control
 * database on the real test PostgreSQL.
 */
class SlackApprovalFlowIT extends SlackApprovalFlowContract {

  private ControlDatabase db;
  private JdbcAuditTrail trail;
  private AuditKey auditKey;
  private final List<JdbcApprovalService> services = new ArrayList<>();

  @Override
  SlackStore newStore() {
    TestPostgres pg = TestPostgres.get();
    String name = pg.createEmptyDatabase("slack");
    db =
        ControlDatabase.open(
            ControlDatabase.Settings.of(pg.jdbcUrl(name), pg.adminUser(), pg.adminPassword()));
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    auditKey = AuditKey.of(key);
    try {
      trail =
          JdbcAuditTrail.start(
              db,
              AuditConfig.defaults("slack-it", auditKey, Files.createTempDirectory("slack-audit")));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return JdbcSlackStore.open(db.dataSource(), JdbcSlackStore.DEFAULT_SCHEMA);
  }

  @Override
  AuditTrail realAuditTrail() {
    return trail;
  }

  @Override
  ApprovalService newService(ApprovalNotifier notifier, ApproverPolicy policy, Duration ttl) {
    Duration tick = Duration.ofMillis(200);
    JdbcApprovalService service =
        JdbcApprovalService.start(
            db,
            ApprovalConfig.defaults().withExpiry(ttl).withIntervals(tick, tick, tick),
            policy,
            List.of(notifier),
            trail,
            clock);
    services.add(service);
    return service;
  }

  @AfterEach
  void closeControlDatabase() {
    services.forEach(JdbcApprovalService::close);
    trail.close();
    db.close();
  }

  @Test
  void decisionsRefusedClicksAndForgeriesReachTheTamperEvidentAuditTrail() throws Exception {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");
    posted(r.id());
    send(f.callbacks.click(BotFixture.ANALYST, ActionIds.approve(r.id()), r.id()));
    SignedCallbacks.Callback genuine =
        f.callbacks.signed(f.callbacks.click(BotFixture.DBA, ActionIds.approve(r.id()), r.id()));
    String ts = genuine.headers().get("X-Slack-Request-Timestamp").get(0);
    assertThat(
            f.handler()
                .handle(genuine.body(), SignedCallbacks.headers(ts, "v0=" + "ab".repeat(32)))
                .status())
        .isEqualTo(401);
    assertThat(f.handler().handle(genuine.body(), genuine.headers()).status()).isEqualTo(200);
    eventually(() -> state(r.id()) == ApprovalState.APPROVED, "approved");

    eventually(
        () ->
            approvalRecords(r.id().toString(), "REFUSED", "slack user " + BotFixture.ANALYST + "%")
                == 1,
        "the analyst's refused click is in the audit trail");
    eventually(
        () -> approvalRecords(r.id().toString(), "APPROVED", "%") == 1,
        "the approval service recorded the decision");
    eventually(() -> forgeries() == 1, "the forged callback is a failed authentication");
    assertThat(approvalRecords(r.id().toString(), "REQUESTED", "%")).isEqualTo(1);
    VerifyReport report = new AuditVerifier(db.dataSource(), auditKey).verify();
    assertThat(report.ok()).as("the hash chain verifies: %s", report.problems()).isTrue();
    assertThat(report.records()).isGreaterThanOrEqualTo(4);
  }

  private int forgeries() {
    return count(
        "SELECT count(*) FROM gatehouse_audit.audit_record WHERE kind = 'AUTHENTICATION'"
            + " AND doc ->> 'clientApplication' = 'slack-approval-bot'"
            + " AND doc ->> 'failureReason' = 'bad slack signature'");
  }

  private int count(String sql) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private int approvalRecords(String id, String step, String detailLike) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM gatehouse_audit.audit_record WHERE kind = 'APPROVAL'"
                    + " AND doc ->> 'approvalId' = ? AND doc ->> 'step' = ?"
                    + " AND coalesce(doc ->> 'detail', '') LIKE ?")) {
      ps.setString(1, id);
      ps.setString(2, step);
      ps.setString(3, detailLike);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
