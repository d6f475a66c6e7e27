package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.ReferenceGates;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quotas per principal and per upstream role on the real proxy, with pgjdbc and raw sockets against
 * the test PostgreSQL: one principal's idle sessions leave others able to connect and run, refusals
 * are 53300 naming the quota, and every count returns once sessions close, abruptly or not.
 */
class QuotaIT {

  private static final int UPSTREAM_BUDGET = 8;
  private static final int RESERVE = 4;

  private static ReferenceGates.Assembly gate;
  private static Quotas quotas;
  private static WireProxyServer server;

  @BeforeAll
  static void start() {
    TestPostgres.get();
    gate = ReferenceGates.create();
    quotas = new Quotas(new QuotaLimits(6, 0, 0, 0, 0, 0, 0, RESERVE), UPSTREAM_BUDGET, null);
    server =
        new WireProxyServer(
                WireProxyConfig.defaults("127.0.0.1", 0).withLimits(20, 0, null, null),
                gate.gate(),
                quotas)
            .start();
  }

  @AfterAll
  static void stop() {
    server.stop();
    gate.close();
  }

  private static Connection connect(ReferencePrincipal principal) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", principal.subject());
    p.setProperty("password", ProxyFixture.token(principal));
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.port() + "/shop?sslmode=disable", p);
  }

  @Test
  void anAnalystsIdleSessionsLeaveEtlNightlyAbleToConnectAndRun() throws Exception {
    int share = quotas.upstreamPerPrincipal();
    assertThat(share).isEqualTo(UPSTREAM_BUDGET / 2);
    List<Connection> analyst = new ArrayList<>();
    try {
      for (int i = 0; i < share; i++) {
        analyst.add(connect(ReferencePrincipal.ANALYST));
      }
      assertThatThrownBy(() -> connect(ReferencePrincipal.ANALYST))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53300"))
          .hasMessageContaining(
              "too many upstream connections for principal `analyst`: the limit is "
                  + share
                  + " (quotas.upstream.perPrincipal)");
      try (Connection etl = connect(ReferencePrincipal.ETL_NIGHTLY);
          Statement s = etl.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isPositive();
      }
      assertThat(quotas.inUse(Quota.UPSTREAM_PER_PRINCIPAL, "analyst")).isEqualTo(share);
      assertThat(quotas.inUse(Quota.UPSTREAM_PER_ROLE, "gatehouse_reader")).isEqualTo(share);
    } finally {
      // Half closed politely, half dropped: both give their slots back.
      for (int i = 0; i < analyst.size(); i++) {
        if (i % 2 == 0) {
          analyst.get(i).close();
        } else {
          analyst.get(i).abort(Executors.newVirtualThreadPerTaskExecutor());
        }
      }
    }
    awaitZero(() -> quotas.inUse(Quota.UPSTREAM_TOTAL, ""));
    awaitZero(() -> quotas.inUse(Quota.UPSTREAM_PER_PRINCIPAL, "analyst"));
    awaitZero(() -> quotas.inUse(Quota.WIRE_SESSIONS, "analyst"));
    awaitZero(() -> quotas.inUse(Quota.UPSTREAM_PER_ROLE, "gatehouse_reader"));
    try (Connection again = connect(ReferencePrincipal.ANALYST)) {
      assertThat(again.isValid(5)).isTrue();
    }
  }

  @Test
  void aPrincipalPastItsWireSessionsGets53300NamingTheQuota() throws Exception {
    // The contractor is granted nothing: its sessions hold no upstream connection, only a slot
    // (raw sockets: pgjdbc's own setup statements would be denied).
    String token = ProxyFixture.token(ReferencePrincipal.CONTRACTOR);
    List<RawClient> contractor = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        contractor.add(RawClient.login(server.port(), "contractor", "shop", token));
      }
      try (RawClient refused = new RawClient(server.port())) {
        refused.send(
            new StartupMessage(
                FrontendMessage.PROTOCOL_3_0, Map.of("user", "contractor", "database", "shop")));
        refused.next(); // AuthenticationCleartextPassword
        refused.send(new PasswordMessage(token));
        ErrorResponse e = (ErrorResponse) refused.next();
        assertThat(e.sqlState()).isEqualTo("53300");
        assertThat(e.fields().get('S')).isEqualTo("FATAL");
        assertThat(e.message())
            .isEqualTo(
                "too many wire sessions for principal `contractor`: the limit is 6"
                    + " (quotas.wireSessionsPerPrincipal); close one and try again");
        assertThat(refused.closedByServer()).isTrue();
      }
      try (Connection analyst = connect(ReferencePrincipal.ANALYST)) {
        assertThat(analyst.isValid(5)).isTrue();
      }
    } finally {
      for (RawClient c : contractor) {
        c.close(); // dropped without a Terminate
      }
    }
    awaitZero(() -> quotas.inUse(Quota.WIRE_SESSIONS, "contractor"));
  }

  @Test
  void silentSocketsHoldOnlyTheReserveAndTheOldestMakesRoomForANewcomer() throws Exception {
    List<RawClient> silent = new ArrayList<>();
    try {
      for (int i = 0; i < RESERVE; i++) {
        silent.add(new RawClient(server.port()));
        int opened = i + 1;
        awaitValue(() -> server.unauthenticated(), opened); // so the first is the oldest
      }
      // A real client still gets in: the oldest silent socket is closed to make room.
      try (Connection etl = connect(ReferencePrincipal.ETL_NIGHTLY);
          Statement s = etl.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
        ErrorResponse evicted = (ErrorResponse) silent.get(0).next();
        assertThat(evicted.sqlState()).isEqualTo("53300");
        assertThat(evicted.message())
            .startsWith("too many connections waiting to authenticate")
            .contains("quotas.unauthenticatedConnections");
        assertThat(silent.get(0).closedByServer()).isTrue();
        awaitValue(() -> server.sessions(), 1);
      }
    } finally {
      for (RawClient raw : silent) {
        raw.close();
      }
    }
    awaitZero(() -> server.unauthenticated());
    awaitZero(() -> server.sessions());
  }

  @Test
  void socketsTricklingTheirStartupPacketNeverDisplaceAHandshakeUnderWay() throws Exception {
    List<RawClient> trickling = new ArrayList<>();
    RawClient handshake = new RawClient(server.port());
    try {
      handshake.send(
          new StartupMessage(
              FrontendMessage.PROTOCOL_3_0,
              Map.of("user", ReferencePrincipal.ETL_NIGHTLY.subject(), "database", "shop")));
      handshake.next(); // asked for its token; it has not sent it yet, and is the oldest socket
      awaitValue(() -> server.unauthenticated(), 1);
      // Twice the reserve of sockets that send one byte of a startup packet, one after another:
      // once the reserve is full each newcomer closes the oldest trickling socket, never the
      // handshake, though it is older than all of them.
      for (int i = 0; i < 2 * RESERVE; i++) {
        RawClient t = new RawClient(server.port());
        t.out.write(0);
        t.out.flush();
        trickling.add(t);
        if (i < RESERVE - 1) {
          int opened = i + 2;
          awaitValue(() -> server.unauthenticated(), opened);
        } else {
          RawClient closed = trickling.get(i - (RESERVE - 1));
          ErrorResponse told = (ErrorResponse) closed.next();
          assertThat(told.sqlState()).isEqualTo("53300");
          assertThat(told.message()).contains("quotas.unauthenticatedConnections");
        }
      }
      handshake.send(new PasswordMessage(ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY)));
      assertThat(handshake.until('Z')).isNotEmpty();
      awaitValue(() -> server.sessions(), 1);
    } finally {
      handshake.close();
      for (RawClient raw : trickling) {
        raw.close();
      }
    }
    awaitZero(() -> server.unauthenticated());
    awaitZero(() -> server.sessions());
  }

  private static void awaitZero(IntSupplier count) throws InterruptedException {
    awaitValue(count, 0);
  }

  private static void awaitValue(IntSupplier count, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (count.getAsInt() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(count.getAsInt()).isEqualTo(expected);
  }
}
