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
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.slack.message.ActionIds;
import dev.gatehouse.slack.outbox.JdbcSlackStore;
import dev.gatehouse.slack.outbox.SlackStore;
import dev.gatehouse.slack.testing.BotFixture;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
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
    try {
      trail =
          JdbcAuditTrail.start(
              db,
              AuditConfig.defaults(
                  "slack-it", AuditKey.of(key), Files.createTempDirectory("slack-audit")));
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
            Clock.systemUTC());
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
  void decisionsAndRefusedClicksReachTheTamperEvidentAuditTrail() throws Exception {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");
    posted(r.id());
    send(f.callbacks.click(BotFixture.ANALYST, ActionIds.approve(r.id()), r.id()));
    send(f.callbacks.click(BotFixture.DBA, ActionIds.approve(r.id()), r.id()));
    eventually(() -> state(r.id()) == ApprovalState.APPROVED, "approved");

    eventually(
        () ->
            approvalRecords(r.id().toString(), "REFUSED", "slack user " + BotFixture.ANALYST + "%")
                == 1,
        "the analyst's refused click is in the audit trail");
    eventually(
        () -> approvalRecords(r.id().toString(), "APPROVED", "%") == 1,
        "the approval service recorded the decision");
    assertThat(approvalRecords(r.id().toString(), "REQUESTED", "%")).isEqualTo(1);
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
