package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Query;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plain read goes upstream while its audit record commits, but its result reaches the client only
 * once the record is durable; a write still waits for its record before it is sent. The control
 * database's commit is blocked by holding an exclusive lock on the audit table; the real engine's
 * durable timeout is 2 s.
 */
class ResultHoldIT {

  private static final String RULE =
      """
        - id: etl-nightly-hold-probe
          description: reads and writes of the probe table of the result-hold test
          match:
            groups: [etl]
          grants:
            - database: shop
              classes: [read, write, transaction, session]
              read: ["public.*", "pg_catalog.*"]
              write: [public.hold_probe]
              upstreamRole: gatehouse_writer
      """;

  static ProxyFixture proxy;
  static String db;

  @BeforeAll
  static void start() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    db = pg.createShopDatabase("hold");
    try (Connection c = pg.connectAsAdmin(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.hold_probe (id int)");
      s.execute("GRANT USAGE ON SCHEMA public TO gatehouse_writer");
      s.execute("GRANT SELECT, INSERT ON public.hold_probe TO gatehouse_writer");
    }
    proxy = ProxyFixture.reference(db, RULE);
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** An open transaction holding the audit table: no audit record can commit until it ends. */
  private static Connection lockAuditTable() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    var control = proxy.reference.engine().control().settings();
    Connection c =
        DriverManager.getConnection(control.jdbcUrl(), pg.adminUser(), pg.adminPassword());
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE " + control.schema() + ".audit_record IN ACCESS EXCLUSIVE MODE");
    }
    return c;
  }

  /**
   * Waits until every audit record so far is committed, so that the next record the writer blocks
   * on under {@link #lockAuditTable()} is the test's statement's.
   */
  private static void awaitAuditCommitted() {
    var trail = proxy.reference.engine().audit();
    Eventually.await(
        "earlier audit records committed",
        Duration.ofSeconds(30),
        () -> trail.lag().records() == 0);
  }

  /**
   * Waits until the audit writer waits for the lock that {@code lock} holds, blocked committing the
   * statement's record, which cannot be durable before the lock is released. The writer inserts
   * into {@code audit_entry}, the table under the {@code audit_record} view the test locks: its
   * waiting lock is on that table (or today's partition), never on the view, so it is found by the
   * holder's pid ({@code pg_blocking_pids}) rather than by the relation locked.
   */
  private static void awaitWriterBlockedBy(Connection lock) throws SQLException {
    int holder;
    try (Statement s = lock.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      holder = rs.getInt(1);
    }
    Eventually.await(
        "the audit writer waiting for the lock on the audit table",
        Duration.ofSeconds(30),
        () -> {
          // Asked on a connection of its own: the holder's open transaction would see its first
          // snapshot of pg_stat_activity again and again.
          try (Connection c = TestPostgres.get().connectAsAdmin(db);
              java.sql.PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))"
                          + " AND application_name = 'gatehouse-control'")) {
            ps.setInt(1, holder);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1) > 0;
            }
          }
        });
  }

  /** Waits until the upstream has finished a statement whose text ends with {@code ending}. */
  private static void awaitUpstreamFinished(String ending) {
    Eventually.await(
        "the upstream finishing `" + ending + "`",
        Duration.ofSeconds(30),
        () -> {
          try (Connection c = TestPostgres.get().connectAsAdmin(db);
              java.sql.PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                          + " AND state LIKE 'idle%' AND query LIKE '%' || ?")) {
            ps.setString(1, db);
            ps.setString(2, ending);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1) > 0;
            }
          }
        });
  }

  private static RawClient login() throws Exception {
    return RawClient.login(
        proxy.server.port(),
        "etl-nightly",
        TestPostgres.SHOP,
        ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY));
  }

  private static long probeRows(int id) throws SQLException {
    try (Connection c = TestPostgres.get().connectAsAdmin(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM public.hold_probe WHERE id = " + id)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void readResultWaitsUntilItsRecordIsDurable() throws Exception {
    try (RawClient client = login()) {
      awaitAuditCommitted();
      try (Connection lock = lockAuditTable()) {
        client.send(new Query("SELECT 6 * 7 AS early_answer"));
        // The upstream has answered the read, and its record cannot commit...
        awaitUpstreamFinished("SELECT 6 * 7 AS early_answer");
        awaitWriterBlockedBy(lock);
        // ...so not a byte of the answer has reached the client.
        assertThat(client.in.available()).isZero();
        lock.rollback();
      }
      List<BackendMessage> answer = client.until('Z');
      assertThat(answer)
          .filteredOn(m -> m instanceof DataRow)
          .singleElement()
          .satisfies(
              m ->
                  assertThat(new String(((DataRow) m).cells().get(0), StandardCharsets.UTF_8))
                      .isEqualTo("42"));
    }
  }

  @Test
  void readResultNeverReachesTheClientWhenItsRecordFails() throws Exception {
    List<BackendMessage> received = new ArrayList<>();
    try (RawClient client = login()) {
      try (Connection lock = lockAuditTable()) {
        client.send(new Query("SELECT 6 * 7 AS answer"));
        // The durable timeout (2 s) passes while the lock is held.
        try {
          while (true) {
            received.add(client.next());
          }
        } catch (EOFException | java.net.SocketException closed) {
          // the gateway closed the session
        }
        lock.rollback();
      }
    }
    assertThat(received).noneMatch(m -> m instanceof DataRow);
    assertThat(received)
        .filteredOn(m -> m instanceof ErrorResponse)
        .singleElement()
        .satisfies(
            m -> {
              ErrorResponse e = (ErrorResponse) m;
              assertThat(e.fields().get('S')).isEqualTo("FATAL");
              assertThat(e.message())
                  .contains("audit trail became unavailable while the statement");
            });
  }

  @Test
  void extendedProtocolReadFailsClosedWithoutItsRows() throws Exception {
    try (Connection c =
            proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, PgJdbcIT.EXTENDED);
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT ? * 7 AS answer")) {
      ps.setInt(1, 6);
      try (Connection lock = lockAuditTable()) {
        assertThatThrownBy(ps::executeQuery)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("audit trail became unavailable while the statement ran");
        lock.rollback();
      }
      assertThat(c.isValid(2)).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void readWaitsThenArrivesOverPgjdbc(String mode) throws Exception {
    // Its own name in the upstream's pg_stat_activity, apart from the other tests' reads.
    String alias = mode.equals(PgJdbcIT.SIMPLE) ? "held_simple" : "held_extended";
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, mode);
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT ? * 7 AS " + alias)) {
      ps.setInt(1, 6);
      CompletableFuture<Integer> result;
      awaitAuditCommitted();
      try (Connection lock = lockAuditTable()) {
        result =
            CompletableFuture.supplyAsync(
                () -> {
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                });
        // The upstream has answered and the record cannot commit: the result is held.
        awaitUpstreamFinished("AS " + alias);
        awaitWriterBlockedBy(lock);
        assertThat(result).as(mode).isNotDone();
        lock.rollback();
      }
      assertThat(result.get(30, TimeUnit.SECONDS)).as(mode).isEqualTo(42);
    }
  }

  @Test
  void writeIsNotSentUpstreamBeforeItsRecordIsDurable() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      CompletableFuture<Integer> insert;
      awaitAuditCommitted();
      try (Connection lock = lockAuditTable()) {
        insert =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return s.executeUpdate("INSERT INTO public.hold_probe VALUES (1)");
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                });
        // Its record is the one the writer is blocked on: the insert was admitted.
        awaitWriterBlockedBy(lock);
        assertThat(insert).isNotDone();
        assertThat(probeRows(1)).as("the insert must wait for its record").isZero();
        lock.rollback();
      }
      assertThat(insert.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(probeRows(1)).isEqualTo(1);
    }
  }

  @Test
  void writeRefusedWhenItsRecordCannotCommitNeverReachesTheUpstream() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      try (Connection lock = lockAuditTable()) {
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO public.hold_probe VALUES (2)"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("audit trail cannot be written");
        lock.rollback();
      }
      assertThat(probeRows(2)).isZero();
      // A refusal before sending is an ERROR: the session goes on.
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }
}
