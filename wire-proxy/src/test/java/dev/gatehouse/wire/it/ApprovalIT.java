package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DDL by etl-nightly waits on the wire for a dba's approval, then runs as the owner role. */
class ApprovalIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void approvedDropRunsAsOwner(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_approve");
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, db, mode);
        Statement s = c.createStatement();
        PreparedStatement prepared =
            c.prepareStatement("SELECT count(*) FROM app.customers WHERE id > ?")) {
      // A server-prepared statement (extended mode) must survive the switch to the owner role
      // and back: the gateway prepares it again on each new upstream connection.
      assertThat(count(prepared, 990)).isEqualTo(10);
      CompletableFuture<SQLWarning> run = runAsync(s, "DROP TABLE app.orders");
      ApprovalRequest request = awaitPending();
      assertThat(request.sql()).isEqualTo("DROP TABLE app.orders");
      proxy.gate.approvals().approve(request.id(), dba());
      SQLWarning warning = run.get(20, TimeUnit.SECONDS);
      assertThat((Object) warning).isNotNull();
      assertThat(warning.getMessage()).contains("waiting for approval `" + request.id() + "`");
      assertThat(tableExists(db)).isFalse();
      try (ResultSet rs = s.executeQuery("SELECT current_user, count(*) FROM app.customers")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("gatehouse_writer");
        assertThat(rs.getLong(2)).isEqualTo(1000);
      }
      assertThat(count(prepared, 995)).isEqualTo(5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void deniedDropNeverRuns(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_deny");
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, db, mode);
        Statement s = c.createStatement()) {
      CompletableFuture<SQLWarning> run = runAsync(s, "DROP TABLE app.orders");
      ApprovalRequest request = awaitPending();
      proxy.gate.approvals().deny(request.id(), dba(), "not during business hours");
      assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("denied")
          .hasMessageContaining("not during business hours");
      assertThat(tableExists(db)).isTrue();
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void expiredApprovalIsRefused(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_expire");
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, db, mode);
        Statement s = c.createStatement()) {
      CompletableFuture<SQLWarning> run = runAsync(s, "DROP TABLE app.orders");
      ApprovalRequest request = awaitPending();
      // Nobody decided in time: the request expires as the service's sweeper would end it.
      proxy.gate.approvals().expire(request.id());
      assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("expired");
      assertThat(proxy.gate.approvals().find(request.id()).orElseThrow().state().name())
          .isEqualTo("EXPIRED");
      assertThat(tableExists(db)).isTrue();
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void cancelWhileWaitingCancelsTheRequest(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_cancel_approval");
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, db, mode);
        Statement s = c.createStatement()) {
      CompletableFuture<SQLWarning> run = runAsync(s, "DROP TABLE app.orders");
      ApprovalRequest request = awaitPending();
      s.cancel();
      assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
      assertThat(awaitState(request, "CANCELLED")).isEqualTo("CANCELLED");
      assertThat(tableExists(db)).isTrue();
    }
  }

  /** The request's state once it is {@code state}, or its state after ten seconds. */
  static String awaitState(ApprovalRequest request, String state) throws InterruptedException {
    Eventually.holdsWithin(
        Duration.ofSeconds(10),
        () -> proxy.gate.approvals().find(request.id()).orElseThrow().state().name().equals(state));
    return proxy.gate.approvals().find(request.id()).orElseThrow().state().name();
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE})
  void disconnectWhileWaitingCancelsTheRequest(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_gone");
    Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, db, mode);
    Statement s = c.createStatement();
    CompletableFuture<SQLWarning> run = runAsync(s, "DROP TABLE app.orders");
    ApprovalRequest request = awaitPending();
    c.unwrap(org.postgresql.PGConnection.class); // still open
    ((org.postgresql.jdbc.PgConnection) c.unwrap(org.postgresql.jdbc.PgConnection.class))
        .abort(Runnable::run);
    Eventually.holdsWithin(
        Duration.ofSeconds(10),
        () ->
            !proxy
                .gate
                .approvals()
                .find(request.id())
                .orElseThrow()
                .state()
                .name()
                .equals("PENDING"));
    assertThat(proxy.gate.approvals().find(request.id()).orElseThrow().state().name())
        .isEqualTo("CANCELLED");
    assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(tableExists(db)).isTrue();
  }

  static long count(PreparedStatement ps, long above) throws SQLException {
    ps.setLong(1, above);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static CompletableFuture<SQLWarning> runAsync(Statement s, String sql) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            s.execute(sql);
            return s.getWarnings();
          } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }

  static ApprovalRequest awaitPending() throws InterruptedException {
    Eventually.await(
        "an approval request",
        Duration.ofSeconds(20),
        () -> !proxy.gate.approvals().pending().isEmpty());
    return proxy.gate.approvals().pending().getFirst();
  }

  static Principal dba() throws Exception {
    return proxy
        .gate
        .gate()
        .authenticate(
            ProxyFixture.token(ReferencePrincipal.DBA),
            new RequestContext(Channel.CLI, null, null, null, Instant.now()));
  }

  static Principal principal(ProxyFixture fixture, ReferencePrincipal who) throws Exception {
    return fixture
        .reference
        .gate()
        .authenticate(
            ProxyFixture.token(who),
            new RequestContext(Channel.CLI, null, null, null, Instant.now()));
  }

  static boolean tableExists(String db) throws SQLException {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('app.orders') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
