package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blast-radius approval on the wire: etl-nightly may change at most 100 rows without approval
 * (reference policy); a write past that is rolled back and waits for a dba who sees the count.
 */
class BlastRadiusIT {

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void writesPastTheBoundWaitWithTheirCount(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_blast");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        PreparedStatement small =
            c.prepareStatement("UPDATE app.orders SET note = 'small' WHERE customer_id <= ?");
        PreparedStatement all = c.prepareStatement("DELETE FROM app.orders WHERE id > ?")) {
      // Within the bound: runs at once, committed.
      small.setLong(1, 10);
      assertThat(small.executeUpdate()).isEqualTo(50);
      assertThat(count(db, "note = 'small'")).isEqualTo(50);

      // Past it: rolled back, held; the dba sees the count; denied, nothing changed.
      all.setLong(1, 0);
      CompletableFuture<Integer> first = update(all);
      ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
      assertThat(request.reasons()).contains("would delete 5,000 rows of app.orders");
      if (mode.equals(PgJdbcIT.EXTENDED)) {
        // bound to the parameter values as sent: pgjdbc sends this long in binary
        assertThat(request.params()).containsExactly("\\x0000000000000000");
      } else {
        assertThat(request.sql())
            .startsWith("DELETE FROM app.orders WHERE id > ")
            .doesNotContain("?");
      }
      proxy
          .reference
          .approvals()
          .deny(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA), "too many");
      assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      assertThat(count(db, "true")).isEqualTo(5000);

      // Again: a new request; approved, it runs once, for real.
      CompletableFuture<Integer> second = update(all);
      ApprovalRequest again = ReferenceApprovalIT.pending(proxy);
      assertThat(again.id()).isNotEqualTo(request.id());
      proxy
          .reference
          .approvals()
          .approve(again.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
      assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(5000);
      assertThat(count(db, "true")).isZero();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("gatehouse_writer");
      }
    }
  }

  /**
   * Red-team round 38: the rows of a SELECT in the same message were summed into the count ("would
   * update 301 rows" for an UPDATE of one row), and the approved run was bound by that number.
   */
  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void rowsReadBesideTheWriteAreNotCounted(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_blast_reads");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      // Within the bound: they run at once (held for approval, they would not return in time).
      execute(
              c,
              "UPDATE app.orders SET note = 'read1' WHERE id = 1;"
                  + " SELECT g FROM generate_series(1, 300) g")
          .get(20, TimeUnit.SECONDS);
      execute(
              c,
              "SELECT id FROM app.orders WHERE id <= 150;"
                  + " UPDATE app.orders SET note = 'read1' WHERE id = 2")
          .get(20, TimeUnit.SECONDS);
      assertThat(count(db, "note = 'read1'")).isEqualTo(2);
      assertThat(proxy.reference.approvals().pending()).isEmpty();

      CompletableFuture<Boolean> over =
          execute(
              c,
              "SELECT g FROM generate_series(1, 300) g;"
                  + " UPDATE app.orders SET note = 'read2' WHERE id <= 150");
      ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
      assertThat(request.reasons()).contains("would update 150 rows of app.orders");
      proxy
          .reference
          .approvals()
          .deny(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA), "no");
      assertThatThrownBy(() -> over.get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(SQLException.class);
      assertThat(count(db, "note = 'read2'")).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void insideTheClientsTransactionASavepointIsRolledBack(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_blast_tx");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      assertThat(s.executeUpdate("UPDATE app.orders SET note = 'tx' WHERE id <= 20")).isEqualTo(20);
      CompletableFuture<Integer> big =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return s.executeUpdate("UPDATE app.orders SET note = 'big' WHERE id > 20");
                } catch (SQLException e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
      assertThat(request.reasons()).contains("would update 4,980 rows of app.orders");
      proxy
          .reference
          .approvals()
          .deny(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA), "no");
      assertThatThrownBy(() -> big.get(30, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      c.rollback();
      c.setAutoCommit(true);
      assertThat(count(db, "note IN ('tx', 'big')")).isZero();
    }
  }

  /**
   * Red-team R5: an approval is for the count the approver saw. Rows added to what the write
   * selects while it waits make the approved run change more: it is undone and asks again with the
   * new count; approved again, it runs once.
   */
  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void theApprovedRunIsBoundByTheCountTheApproverSaw(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_blast_count");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection a = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Connection b = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        Statement grow = b.createStatement();
        PreparedStatement held =
            a.prepareStatement("UPDATE app.orders SET note = 'done' WHERE note = ?")) {
      grow.executeUpdate("UPDATE app.orders SET note = 'grow' WHERE id BETWEEN 1 AND 75");
      grow.executeUpdate("UPDATE app.orders SET note = 'grow' WHERE id BETWEEN 76 AND 150");
      held.setString(1, "grow");
      java.util.Set<java.util.UUID> before = pendingIds(proxy);
      CompletableFuture<Integer> run = update(held);
      ApprovalRequest first = ReferenceApprovalIT.pending(proxy);
      assertThat(first.reasons()).contains("would update 150 rows of app.orders");
      before.add(first.id());
      // While it waits, each of these within the bound: 350 rows would now change.
      grow.executeUpdate("UPDATE app.orders SET note = 'grow' WHERE id BETWEEN 151 AND 250");
      grow.executeUpdate("UPDATE app.orders SET note = 'grow' WHERE id BETWEEN 251 AND 350");
      proxy
          .reference
          .approvals()
          .approve(first.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));

      ApprovalRequest second = pendingOtherThan(proxy, before);
      assertThat(second.reasons())
          .contains("would update 350 rows of app.orders")
          .contains("the approval was for 150");
      assertThat(count(db, "note = 'done'")).isZero();
      assertThat(run).isNotDone();
      proxy
          .reference
          .approvals()
          .approve(second.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
      assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(350);
      assertThat(count(db, "note = 'done'")).isEqualTo(350);
    }
  }

  private static java.util.Set<java.util.UUID> pendingIds(ProxyFixture proxy) {
    java.util.Set<java.util.UUID> ids = new java.util.HashSet<>();
    proxy.reference.approvals().pending().forEach(r -> ids.add(r.id()));
    return ids;
  }

  private static ApprovalRequest pendingOtherThan(
      ProxyFixture proxy, java.util.Set<java.util.UUID> known) throws InterruptedException {
    java.util.concurrent.atomic.AtomicReference<ApprovalRequest> found =
        new java.util.concurrent.atomic.AtomicReference<>();
    Eventually.await(
        "a new approval request",
        Duration.ofSeconds(20),
        () -> {
          for (ApprovalRequest r : proxy.reference.approvals().pending()) {
            if (!known.contains(r.id())) {
              found.set(r);
              return true;
            }
          }
          return false;
        });
    return found.get();
  }

  /** Red-team R2: COPY FROM STDIN is counted too; past the bound it is rolled back and refused. */
  @org.junit.jupiter.api.Test
  void copyFromStdinIsCountedAndRefusedPastTheBound() throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_blast_copy");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        Connection c =
            proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, PgJdbcIT.EXTENDED)) {
      org.postgresql.copy.CopyManager copy =
          c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
      String sql = "COPY app.orders (customer_id, total, note) FROM STDIN";
      assertThat(copy.copyIn(sql, lines(100, "copy-ok"))).isEqualTo(100);
      assertThat(count(db, "note = 'copy-ok'")).isEqualTo(100);

      assertThatThrownBy(() -> copy.copyIn(sql, lines(250, "copy-big")))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("the copy added 250 rows, more than the 100");
              });
      assertThat(count(db, "note = 'copy-big'")).isZero();
      // the connection stays usable, as its own role
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("gatehouse_writer");
      }
    }
  }

  /**
   * Red-team S10: a bounded COPY in the extended protocol followed by Flush (no Sync) got no answer
   * at all, so a client waiting for CopyInResponse before it sends Sync hung. PostgreSQL answers
   * each message as it goes; so must the gateway, the refusal included.
   */
  @org.junit.jupiter.api.Test
  void aBoundedCopyInTheExtendedProtocolIsAnsweredAtFlush() throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_blast_copy_flush");
    try (ProxyFixture proxy = ProxyFixture.reference(db, "");
        RawClient raw =
            RawClient.login(
                proxy.server.port(),
                "etl-nightly",
                TestPostgres.SHOP,
                ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY))) {
      raw.socket.setSoTimeout(15_000);
      raw.send(
          new dev.gatehouse.wire.protocol.frontend.Parse(
              "", "COPY app.orders (customer_id, total, note) FROM STDIN", java.util.List.of()),
          new dev.gatehouse.wire.protocol.frontend.Bind(
              "", "", java.util.List.of(), java.util.List.of(), java.util.List.of()),
          new dev.gatehouse.wire.protocol.frontend.Execute("", 0),
          new dev.gatehouse.wire.protocol.frontend.Flush());
      // Read up to the refusal without sending Sync: a hang fails on the socket timeout.
      java.util.List<dev.gatehouse.wire.protocol.backend.BackendMessage> answers = raw.until('E');
      assertThat(answers.getLast())
          .isInstanceOfSatisfying(
              dev.gatehouse.wire.protocol.backend.ErrorResponse.class,
              e -> assertThat(e.sqlState()).isEqualTo("42501"));
      raw.send(new dev.gatehouse.wire.protocol.frontend.Sync());
      raw.until('Z');
      raw.send(new dev.gatehouse.wire.protocol.frontend.Query("SELECT 1"));
      assertThat(raw.until('Z'))
          .anySatisfy(
              m -> assertThat(m).isInstanceOf(dev.gatehouse.wire.protocol.backend.DataRow.class));
    }
  }

  private static java.io.Reader lines(int n, String note) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("1\t1.00\t").append(note).append('\n');
    }
    return new java.io.StringReader(b.toString());
  }

  static CompletableFuture<Integer> update(PreparedStatement ps) {
    return ApprovalBindingIT.update(ps);
  }

  static long count(String db, String where) throws SQLException {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static CompletableFuture<Boolean> execute(Connection c, String sql) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Statement t = c.createStatement()) {
            return t.execute(sql);
          } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }
}
