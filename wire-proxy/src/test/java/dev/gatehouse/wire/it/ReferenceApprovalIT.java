package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Approval over the wire with the real engine (durable requests in the control database): the ETL
 * job's DROP TABLE waits, a dba approves through the gate, it runs as the owner role; denied or
 * expired, it never runs.
 */
class ReferenceApprovalIT {

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void approvedDropRuns(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_ref_approve");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      CompletableFuture<SQLWarning> run = ApprovalIT.runAsync(s, "DROP TABLE app.orders");
      ApprovalRequest request = pending(proxy);
      proxy
          .reference
          .approvals()
          .approve(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
      SQLWarning notice = run.get(30, TimeUnit.SECONDS);
      assertThat(notice.getMessage()).contains("waiting for approval `" + request.id() + "`");
      assertThat(ApprovalIT.tableExists(db)).isFalse();
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM app.payments")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE})
  void deniedDropNeverRuns(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_ref_deny");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      CompletableFuture<SQLWarning> run = ApprovalIT.runAsync(s, "DROP TABLE app.orders");
      ApprovalRequest request = pending(proxy);
      proxy
          .reference
          .approvals()
          .deny(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA), "not tonight");
      assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("not tonight");
      assertThat(ApprovalIT.tableExists(db)).isTrue();
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE})
  void expiredRequestIsRefused(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_ref_expire");
    // Requests of the approval rule expire after two seconds instead of fifteen minutes.
    try (ProxyFixture proxy =
            ProxyFixture.reference(db, yaml -> yaml.replace("expiry: 15m", "expiry: 2s"));
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("DROP TABLE app.orders"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("expired");
      assertThat(ApprovalIT.tableExists(db)).isTrue();
    }
  }

  static ApprovalRequest pending(ProxyFixture proxy) throws InterruptedException {
    Eventually.await(
        "an approval request",
        Duration.ofSeconds(20),
        () -> !proxy.reference.approvals().pending().isEmpty());
    return proxy.reference.approvals().pending().getFirst();
  }
}
