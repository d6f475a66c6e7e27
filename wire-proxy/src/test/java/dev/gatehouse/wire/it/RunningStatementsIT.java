package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.ReferenceGates;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Running statements on the wire counted by {@code quotas.statementsPerPrincipal} (at most 2 here),
 * with pgjdbc and raw sockets against a private copy of the shop. A statement "runs" for as long as
 * the test's own transaction holds a lock on {@code app.orders}: no sleeps, no timing.
 */
class RunningStatementsIT {

  private static final int LIMIT = 2;
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Blocked clients each need a thread (the common pool may have only one on a small machine). */
  private static final java.util.concurrent.ExecutorService CLIENTS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private static String db;
  private static ReferenceGates.Assembly gate;
  private static Quotas quotas;
  private static WireProxyServer server;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_running");
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE app.scratch_running (id int)");
      s.execute("ALTER TABLE app.scratch_running OWNER TO " + TestPostgres.get().owner().name());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    gate = ReferenceGates.create(db, "");
    quotas = new Quotas(new QuotaLimits(0, 0, LIMIT, 0, 0, 0, 0, 0), 40, null);
    server =
        new WireProxyServer(WireProxyConfig.defaults("127.0.0.1", 0), gate.gate(), quotas).start();
  }

  @AfterAll
  static void stop() {
    CLIENTS.shutdownNow();
    server.stop();
    gate.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
    opened.clear();
    awaitRunning("analyst", 0);
    awaitRunning("etl-nightly", 0);
  }

  @Test
  void aStatementPastTheQuotaIs53300NamingItOnRecordAndTheSessionStaysUsable() throws Exception {
    // Connected first: pgjdbc's own setup statements (SET ...) are statements, counted too.
    List<Connection> refused = new ArrayList<>();
    for (String mode : List.of(PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED)) {
      refused.add(connect(ReferencePrincipal.ANALYST, mode));
    }
    List<Connection> running = new ArrayList<>();
    for (int i = 0; i < LIMIT; i++) {
      running.add(connect(ReferencePrincipal.ANALYST, PgJdbcIT.SIMPLE));
    }
    Connection lock = lockOrders();
    List<CompletableFuture<Long>> blocked = new ArrayList<>();
    for (Connection c : running) {
      blocked.add(countOrdersAsync(c));
    }
    awaitRunning("analyst", LIMIT);
    String expected =
        "too many running statements for principal `analyst`: the limit is 2"
            + " (quotas.statementsPerPrincipal); wait for one to finish and try again";
    for (Connection third : refused) {
      try (Statement s = third.createStatement()) {
        assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM app.payments"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53300"))
            .hasMessageContaining(expected);
      }
    }
    assertThat(quotas.inUse(Quota.STATEMENTS, "analyst")).isEqualTo(LIMIT);
    lock.rollback();
    for (CompletableFuture<Long> f : blocked) {
      assertThat(f.get(20, TimeUnit.SECONDS)).isPositive();
    }
    awaitRunning("analyst", 0);
    // The refused sessions go on: their next statement runs.
    for (Connection again : refused) {
      try (Statement s = again.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM app.payments")) {
        assertThat(rs.next()).isTrue();
      }
    }
    // On record like a denial: the statement's record and its outcome, 53300 and the message.
    List<String> records =
        audit(
            "SELECT s.body || o.body FROM %1$s.audit_record o JOIN %1$s.audit_record s"
                + " ON s.id = (o.doc ->> 'statementId')::uuid"
                + " WHERE o.kind = 'OUTCOME' AND o.doc ->> 'sqlState' = '53300'",
            2);
    assertThat(records)
        .hasSize(2)
        .allSatisfy(
            r ->
                assertThat(r)
                    .contains("\"sql\":\"SELECT count(*) FROM app.payments\"")
                    .contains("\"subject\":\"analyst\"")
                    .contains("\"error\":\"" + expected + "\""));
  }

  @Test
  void aPipelineOfManyExecutesIsOneRunningStatement() throws Exception {
    RawClient raw = raw(ReferencePrincipal.ANALYST);
    List<dev.gatehouse.wire.protocol.frontend.FrontendMessage> pipeline = new ArrayList<>();
    pipeline.add(new Parse("", "SELECT count(*) FROM app.orders", List.of()));
    for (int i = 0; i < 2 * LIMIT + 1; i++) {
      pipeline.add(new Bind("", "", List.of(), List.of(), List.of()));
      pipeline.add(new Execute("", 0));
    }
    pipeline.add(new Sync());
    raw.send(pipeline.toArray(dev.gatehouse.wire.protocol.frontend.FrontendMessage[]::new));
    List<BackendMessage> answers = raw.until('Z');
    assertThat(answers).noneMatch(m -> m instanceof ErrorResponse);
    assertThat(answers).filteredOn(m -> m instanceof DataRow).hasSize(2 * LIMIT + 1);
  }

  @Test
  void slotsComeBackAfterAnErrorACancelAndAnUpstreamFailure() throws Exception {
    for (String mode : List.of(PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED)) {
      Connection c = connect(ReferencePrincipal.ANALYST, mode);
      try (Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.executeQuery("SELECT 1 / 0 FROM app.orders"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
      }
      awaitRunning("analyst", 0);
    }
    Connection lock = lockOrders();
    // Cancelled while it runs: 57014, the slot goes back, the session goes on.
    Connection cancelled = connect(ReferencePrincipal.ANALYST, PgJdbcIT.EXTENDED);
    Statement running = cancelled.createStatement();
    CompletableFuture<Long> count = countOrdersAsync(running);
    awaitRunning("analyst", 1);
    // The slot is taken before the upstream connection is made; a cancel before the query reaches
    // PostgreSQL finds its backend idle and does nothing there either (a cancel is best effort).
    awaitBlockedUpstream();
    running.cancel();
    assertThatThrownBy(() -> count.get(20, TimeUnit.SECONDS))
        .cause()
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
    awaitRunning("analyst", 0);
    // The upstream connection dies while the statement runs: the session ends, the slot is back.
    Connection dying = connect(ReferencePrincipal.ANALYST, PgJdbcIT.SIMPLE);
    CompletableFuture<Long> lost = countOrdersAsync(dying);
    awaitRunning("analyst", 1);
    awaitBlockedUpstream();
    try (Statement admin = TestPostgres.get().connectAsAdmin(db).createStatement()) {
      admin.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + db
              + "' AND wait_event_type = 'Lock'");
      admin.getConnection().close();
    }
    assertThatThrownBy(() -> lost.get(20, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(SQLException.class);
    awaitRunning("analyst", 0);
    lock.rollback();
    try (Statement s = cancelled.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders")) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  void slotsComeBackWhenTheClientLeavesWhileRunningOrMidResult() throws Exception {
    Connection lock = lockOrders();
    RawClient waiting = raw(ReferencePrincipal.ANALYST);
    waiting.send(new Query("SELECT count(*) FROM app.orders"));
    awaitRunning("analyst", 1);
    waiting.close(); // gone without a Terminate while its statement runs
    awaitRunning("analyst", 0);
    lock.rollback();
    // A result far larger than the socket buffers: the client reads one row, then leaves.
    RawClient reader = raw(ReferencePrincipal.ANALYST);
    reader.send(new Query("SELECT repeat('x', 2000) FROM generate_series(1, 10000)"));
    BackendMessage first;
    do {
      first = reader.next();
    } while (!(first instanceof DataRow));
    assertThat(quotas.inUse(Quota.STATEMENTS, "analyst")).isEqualTo(1);
    reader.close();
    awaitRunning("analyst", 0);
  }

  @Test
  void aStatementWaitingForApprovalHoldsNoSlotAndRunsOnceApproved() throws Exception {
    Connection etl = connect(ReferencePrincipal.ETL_NIGHTLY, PgJdbcIT.SIMPLE);
    Statement dropping = etl.createStatement();
    CompletableFuture<java.sql.SQLWarning> drop =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                dropping.execute("DROP TABLE app.scratch_running");
                return dropping.getWarnings();
              } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            CLIENTS);
    Eventually.await("an approval request", WAIT, () -> !gate.approvals().pending().isEmpty());
    assertThat(quotas.inUse(Quota.STATEMENTS, "etl-nightly")).isZero();
    // Both slots are free for the job's other sessions while a human decides.
    List<Connection> others = new ArrayList<>();
    for (int i = 0; i < LIMIT; i++) {
      others.add(connect(ReferencePrincipal.ETL_NIGHTLY, PgJdbcIT.SIMPLE));
    }
    Connection lock = lockOrders();
    List<CompletableFuture<Long>> blocked = new ArrayList<>();
    for (Connection c : others) {
      blocked.add(countOrdersAsync(c));
    }
    awaitRunning("etl-nightly", LIMIT);
    lock.rollback();
    for (CompletableFuture<Long> f : blocked) {
      assertThat(f.get(20, TimeUnit.SECONDS)).isPositive();
    }
    gate.approvals()
        .approve(
            gate.approvals().pending().getFirst().id(),
            gate.gate()
                .authenticate(
                    ProxyFixture.token(ReferencePrincipal.DBA),
                    new dev.gatehouse.engine.policy.RequestContext(
                        dev.gatehouse.engine.policy.Channel.CLI,
                        null,
                        null,
                        null,
                        java.time.Instant.now())));
    assertThat(drop.get(20, TimeUnit.SECONDS).getMessage()).contains("waiting for approval");
    awaitRunning("etl-nightly", 0);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private Connection connect(ReferencePrincipal principal, String mode) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", principal.subject());
    p.setProperty("password", ProxyFixture.token(principal));
    Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + server.port() + "/shop?sslmode=disable&" + mode, p);
    opened.add(c);
    return c;
  }

  private RawClient raw(ReferencePrincipal principal) throws Exception {
    RawClient c =
        RawClient.login(server.port(), principal.subject(), "shop", ProxyFixture.token(principal));
    opened.add(c);
    return c;
  }

  /** The test's own transaction holds app.orders: a count of it runs until this rolls back. */
  private Connection lockOrders() throws SQLException {
    Connection admin = TestPostgres.get().connectAsAdmin(db);
    opened.add(admin);
    admin.setAutoCommit(false);
    try (Statement s = admin.createStatement()) {
      s.execute("LOCK TABLE app.orders IN ACCESS EXCLUSIVE MODE");
    }
    return admin;
  }

  private static CompletableFuture<Long> countOrdersAsync(Connection c) throws SQLException {
    return countOrdersAsync(c.createStatement());
  }

  private static CompletableFuture<Long> countOrdersAsync(Statement s) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders")) {
            rs.next();
            return rs.getLong(1);
          } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        },
        CLIENTS);
  }

  /** Until a backend of the shop database waits for the lock {@link #lockOrders} holds. */
  private static void awaitBlockedUpstream() {
    Eventually.await(
        "a statement waiting upstream for the lock",
        WAIT,
        () -> {
          try (Connection admin = TestPostgres.get().connectAsAdmin(db);
              Statement s = admin.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                          + db
                          + "' AND wait_event_type = 'Lock'")) {
            return rs.next() && rs.getLong(1) > 0;
          } catch (SQLException e) {
            return false;
          }
        });
  }

  private static void awaitRunning(String principal, int expected) {
    Eventually.await(
        principal + "'s running statements at " + expected,
        WAIT,
        () -> quotas.inUse(Quota.STATEMENTS, principal) == expected);
  }

  /**
   * The rows of {@code query} over the control database (its schema for %1$s), once there are
   * {@code count}.
   */
  private static List<String> audit(String query, int count) throws Exception {
    var control = gate.engine().control().settings();
    TestPostgres pg = TestPostgres.get();
    List<String> rows = new ArrayList<>();
    Eventually.await(
        count + " audit rows",
        WAIT,
        () -> {
          rows.clear();
          try (Connection c =
                  DriverManager.getConnection(
                      control.jdbcUrl(), pg.adminUser(), pg.adminPassword());
              Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(String.format(query, control.schema()))) {
            while (rs.next()) {
              rows.add(rs.getString(1));
            }
          }
          return rows.size() >= count;
        });
    return rows;
  }
}
