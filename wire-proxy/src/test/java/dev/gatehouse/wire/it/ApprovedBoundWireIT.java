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
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An approved write whose approver was shown no count (held by the taint switch because it copies
 * {@code app.orders.note} into {@code total}) stays under its grant's bound (100 rows for the ETL
 * job), in both protocols: past it, it is rolled back and asked for again with its count; approved
 * with the count, it runs once. Red-team round 55: over Parse/Bind/Execute the approved run went
 * upstream uncounted and changed 150 rows.
 */
class ApprovedBoundWireIT {

  static final String WRITE =
      "UPDATE app.orders SET total = total + 0 * coalesce(length(note), 0)"
          + " WHERE id BETWEEN 1001 AND 1150";

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void anApprovedCopyIsCountedUnderItsGrantsBound(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_approved_bound");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      long before = xmins(db);
      CompletableFuture<java.sql.SQLWarning> run = ApprovalIT.runAsync(s, WRITE);
      ApprovalRequest copy = pending(proxy, null);
      assertThat(copy.ruleIds()).containsExactly("taint-copy");
      assertThat(copy.reasons()).contains("copies untrusted text").doesNotContain("rows of");
      approve(proxy, copy);

      ApprovalRequest counted = pending(proxy, copy);
      assertThat(counted.reasons()).startsWith("would update 150 rows of app.orders");
      assertThat(xmins(db)).as("the first approved run was rolled back").isEqualTo(before);
      approve(proxy, counted);

      run.get(30, TimeUnit.SECONDS);
      assertThat(s.getUpdateCount()).isEqualTo(150);
    }
  }

  /**
   * Approved for another role, a statement runs on a connection of its own where its rows are not
   * counted: when that role's grant has a bound, the statement is refused before anyone is asked,
   * rather than approved and run past a bound nobody counts.
   */
  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void anApprovalForAnotherRoleUnderABoundIsRefusedBeforeAsking(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_elevated_bound");
    try (ProxyFixture proxy =
            ProxyFixture.reference(
                db,
                yaml ->
                    yaml.replace(
                        "        upstreamRole: gatehouse_owner\n",
                        "        upstreamRole: gatehouse_owner\n        maxRowsAffected: 10\n"));
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      long before = xmins(db);
      s.setQueryTimeout(20); // else, asked, it would wait for a dba
      assertThatThrownBy(() -> s.execute("UPDATE app.orders SET total = total WHERE true"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("cannot be counted under its grant's bound of 10 rows");
      assertThat(proxy.reference.approvals().pending()).as("nobody was asked").isEmpty();
      assertThat(xmins(db)).isEqualTo(before);
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  private static void approve(ProxyFixture proxy, ApprovalRequest r) throws Exception {
    proxy
        .reference
        .approvals()
        .approve(r.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
  }

  /** The first pending request other than {@code after}. */
  private static ApprovalRequest pending(ProxyFixture proxy, ApprovalRequest after)
      throws InterruptedException {
    Eventually.await(
        "an approval request", Duration.ofSeconds(20), () -> next(proxy, after) != null);
    return next(proxy, after);
  }

  private static ApprovalRequest next(ProxyFixture proxy, ApprovalRequest after) {
    List<ApprovalRequest> pending = proxy.reference.approvals().pending();
    return pending.stream()
        .filter(r -> after == null || !r.id().equals(after.id()))
        .findFirst()
        .orElse(null);
  }

  /** How many of the rows the write targets were changed since the database was made. */
  private static long xmins(String db) throws SQLException {
    try (Connection c = TestPostgres.get().connectAsAdmin(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(DISTINCT xmin::text) FROM app.orders WHERE id BETWEEN 1001 AND 1150")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
