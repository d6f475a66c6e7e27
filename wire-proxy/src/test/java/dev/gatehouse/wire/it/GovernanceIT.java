package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.FunctionCall;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Obligations and session rules enforced on the wire. */
class GovernanceIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @AfterEach
  void reset() {
    proxy.gate.policy().limits(0, null);
    proxy.gate.audit().unavailable(false);
  }

  @Test
  void expiredTokenEndsTheSessionAtTheNextStatement() throws Exception {
    String token = TestIssuer.get().personToken(ReferencePrincipal.ANALYST, Duration.ofSeconds(2));
    try (Connection c = proxy.connectWithToken(token, "analyst", TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1").close();
      Instant expiry = Instant.now().plusSeconds(2);
      // the event is the token's expiry itself: wait until its instant has passed
      Eventually.await(
          "the token's expiry", Duration.ofSeconds(10), () -> Instant.now().isAfter(expiry));
      assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"))
          .hasMessageContaining("token expired");
      assertThat(c.isValid(1)).isFalse();
    }
  }

  @Test
  void rowLimitTruncatesWithAWarning() throws Exception {
    proxy.gate.policy().limits(5, null);
    for (String mode : List.of(PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED)) {
      try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT i FROM generate_series(1, 100) i")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
        }
        assertThat(rows).as(mode).isEqualTo(5);
        assertThat(s.getWarnings().getMessage()).contains("result truncated to 5 rows");
      }
    }
  }

  @Test
  void statementTimeoutIsEnforcedUpstream() throws Exception {
    proxy.gate.policy().limits(0, Duration.ofMillis(300));
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("300ms");
      }
      try (ResultSet rs = s.executeQuery("SHOW default_transaction_read_only")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("on");
      }
      assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM generate_series(1, 1e10)"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
    }
  }

  @Test
  void auditUnavailableRefusesStatements() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      proxy.gate.audit().unavailable(true);
      assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("audit trail cannot be written");
      proxy.gate.audit().unavailable(false);
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void searchPathIsTrackedFromAllowedSetStatements() throws Exception {
    try (Connection c =
            proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, PgJdbcIT.SIMPLE);
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO app, public");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM customers")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1000);
      }
      assertThat(proxy.gate.analyzer().lastSearchPath).containsExactly("app", "public");
    }
  }

  @Test
  void functionCallIsDeniedAndTheConnectionStaysUsable() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      raw.send(new FunctionCall(1598, new byte[] {0, 0, 0, 0, 0, 0}));
      List<BackendMessage> answer = raw.until('Z');
      assertThat(((ErrorResponse) answer.get(0)).sqlState()).isEqualTo("42501");
      raw.send(new Query("SELECT 1"));
      assertThat(raw.until('Z')).anyMatch(m -> m instanceof DataRow);
    }
  }

  /** A denied Parse in the middle of a pipeline: earlier messages run, the rest is skipped. */
  @Test
  void pipelinedDenialSkipsToSync() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      raw.send(
          new Parse("", "SELECT 7", List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Describe('P', ""),
          new Execute("", 0),
          new Parse("", "DELETE FROM app.orders", List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync(),
          new Query("SELECT 8"));
      List<BackendMessage> first = raw.until('Z');
      assertThat(first.stream().map(m -> m.getClass().getSimpleName()).toList())
          .containsExactly(
              "ParseComplete",
              "BindComplete",
              "RowDescription",
              "DataRow",
              "CommandComplete",
              "ErrorResponse",
              "ReadyForQuery");
      assertThat(((ErrorResponse) first.get(5)).sqlState()).isEqualTo("42501");
      assertThat(((ReadyForQuery) first.get(6)).status()).isEqualTo('I');
      List<BackendMessage> second = raw.until('Z');
      assertThat(second).anyMatch(m -> m instanceof DataRow);
      assertThat(second).noneMatch(m -> m instanceof ErrorResponse);
    }
  }

  /**
   * Notifications are relayed: a cleared principal gets the payload, one masking applies to gets
   * the channel and a fixed text (a payload may carry masked data: pg_notify of a column).
   */
  @Test
  void notificationsAreRelayed() throws Exception {
    assertThat(notification(ReferencePrincipal.SUPPORT_LEAD)).isEqualTo("nightly done");
    assertThat(notification(ReferencePrincipal.ANALYST))
        .isNotEqualTo("nightly done")
        .contains("withheld");
  }

  private static String notification(ReferencePrincipal principal) throws Exception {
    try (Connection c = proxy.connect(principal, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      s.execute("LISTEN gatehouse_jobs");
      try (Connection admin = TestPostgres.get().connectAsAdmin(TestPostgres.SHOP);
          Statement a = admin.createStatement()) {
        a.execute("NOTIFY gatehouse_jobs, 'nightly done'");
      }
      s.executeQuery("SELECT 1").close();
      var notifications = c.unwrap(org.postgresql.PGConnection.class).getNotifications(5000);
      assertThat(notifications).isNotNull();
      assertThat(notifications[0].getName()).isEqualTo("gatehouse_jobs");
      return notifications[0].getParameter();
    }
  }

  /** Binary result format: the masked cell is replaced, the others pass as their bytes. */
  @Test
  void binaryRowsAreMasked() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      raw.send(
          new Parse("", "SELECT id, email FROM app.customers WHERE id = 1", List.of()),
          new Bind("", "", List.of(), List.of(), List.of((short) 1)),
          new Describe('P', ""),
          new Execute("", 0),
          new Sync());
      DataRow row =
          (DataRow) raw.until('Z').stream().filter(m -> m instanceof DataRow).findFirst().get();
      assertThat(row.cells().get(0)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
      assertThat(new String(row.cells().get(1), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("***");
    }
  }

  /**
   * A denial inside a transaction aborts it, as an error in PostgreSQL would: COMMIT rolls back.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void denialInsideATransactionAbortsIt(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_abort");
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, db, mode);
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      assertThat(s.executeUpdate("UPDATE app.orders SET note = 'half done' WHERE id = 1"))
          .isEqualTo(1);
      assertThatThrownBy(() -> s.executeQuery("SELECT pg_sleep(0)"))
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P02"));
      try {
        c.commit();
      } catch (SQLException e) {
        assertThat(e.getMessage()).containsIgnoringCase("rollback");
      }
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT note FROM app.orders WHERE id = 1")) {
        rs.next();
        assertThat(rs.getString(1)).isNotEqualTo("half done");
      }
    }
  }
}
