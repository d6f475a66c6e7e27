package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.ReferenceGates;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-address bound of the startup reserve with raw sockets from distinct loopback addresses
 * (127.0.0.2, 127.0.0.3) and pgjdbc from 127.0.0.1: one address opening silent sockets crowds out
 * only its own oldest, other addresses' sockets and real clients are untouched.
 */
class StartupPerAddressIT {

  private static final int RESERVE = 8;
  private static final int PER_ADDRESS = 3;

  private static ReferenceGates.Assembly gate;
  private static WireProxyServer server;

  @BeforeAll
  static void start() {
    TestPostgres.get();
    gate = ReferenceGates.create();
    Quotas quotas =
        new Quotas(new QuotaLimits(0, 0, 0, 0, 0, 0, 0, RESERVE, PER_ADDRESS), 20, null);
    server =
        new WireProxyServer(WireProxyConfig.defaults("127.0.0.1", 0), gate.gate(), quotas).start();
  }

  @AfterAll
  static void stop() {
    server.stop();
    gate.close();
  }

  @Test
  void oneAddressPastItsBoundLosesItsOwnOldestSilentSocketAndNobodyElses() throws Exception {
    List<RawClient> flood = new ArrayList<>();
    List<RawClient> neighbour = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        flood.add(new RawClient(server.port(), "127.0.0.2"));
        awaitUnauthenticated(i + 1); // in order, so the first is the oldest
      }
      for (int i = 0; i < 2; i++) {
        neighbour.add(new RawClient(server.port(), "127.0.0.3"));
        awaitUnauthenticated(PER_ADDRESS + i + 1);
      }
      RawClient newcomer = new RawClient(server.port(), "127.0.0.2");
      flood.add(newcomer);
      ErrorResponse evicted = (ErrorResponse) flood.get(0).next();
      assertThat(evicted.sqlState()).isEqualTo("53300");
      assertThat(evicted.fields().get('S')).isEqualTo("FATAL");
      assertThat(evicted.message())
          .startsWith("too many connections from this address waiting to authenticate")
          .contains("quotas.unauthenticatedPerAddress");
      assertThat(flood.get(0).closedByServer()).isTrue();
      awaitUnauthenticated(PER_ADDRESS + 2);
      // The newcomer and the other address's sockets are served.
      for (RawClient c : List.of(newcomer, neighbour.get(0), neighbour.get(1))) {
        assertThat(startsUp(c)).isTrue();
      }
      // A real client from a third address connects and runs.
      Properties p = new Properties();
      p.setProperty("user", "etl-nightly");
      p.setProperty("password", ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY));
      try (Connection etl =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:" + server.port() + "/shop?sslmode=disable", p);
          Statement s = etl.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    } finally {
      for (RawClient c : flood) {
        c.close();
      }
      for (RawClient c : neighbour) {
        c.close();
      }
    }
    awaitUnauthenticated(0);
    Eventually.await("no session left", Duration.ofSeconds(10), () -> server.sessions() == 0);
  }

  /** Sends a StartupMessage: true when the gateway asks for the token, as for anyone. */
  private static boolean startsUp(RawClient c) throws Exception {
    c.send(
        new StartupMessage(
            FrontendMessage.PROTOCOL_3_0, Map.of("user", "analyst", "database", "shop")));
    BackendMessage answer = c.next();
    return answer instanceof Authentication;
  }

  private static void awaitUnauthenticated(int expected) {
    Eventually.await(
        expected + " sockets in startup",
        Duration.ofSeconds(10),
        () -> server.unauthenticated() == expected);
  }
}
