package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.testkit.DisposablePostgres;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.TestGates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * What a client sees when the upstream cannot take it: PostgreSQL's own 53300 when the server is
 * full (not the gateway's XX000), and, when the upstream host accepts and never answers, the
 * gateway's own timeout naming the upstream instead of a startup timeout that blames the client.
 */
class UpstreamCapacityIT {

  @Test
  void aFullUpstreamIs53300WithPostgresText() throws Exception {
    try (DisposablePostgres pg = DisposablePostgres.create()) {
      List<Connection> fillers = new ArrayList<>();
      String postgresText = null;
      try {
        // Take every slot, as a neighbour's idle sessions would; the first refusal is PostgreSQL's.
        for (int i = 0; i < 200 && postgresText == null; i++) {
          try {
            fillers.add(pg.connect("postgres"));
          } catch (PSQLException e) {
            assertThat(e.getSQLState()).isEqualTo("53300");
            postgresText = e.getServerErrorMessage().getMessage();
          }
        }
        assertThat(postgresText).as("the server never filled up").isNotNull();
        TestGates.Assembly gate = TestGates.create(to(pg.port()));
        try (WireProxyServer proxy =
            new WireProxyServer(WireProxyConfig.defaults("127.0.0.1", 0), gate.gate()).start()) {
          String expected = postgresText;
          assertThatThrownBy(() -> connect(proxy, ReferencePrincipal.ANALYST))
              .isInstanceOfSatisfying(
                  PSQLException.class,
                  e -> {
                    assertThat(e.getSQLState()).isEqualTo("53300");
                    assertThat(e.getServerErrorMessage().getSeverity()).isEqualTo("FATAL");
                    assertThat(e.getServerErrorMessage().getMessage()).isEqualTo(expected);
                    assertThat(e.getServerErrorMessage().getDetail())
                        .contains("127.0.0.1:" + pg.port())
                        .contains("role `postgres`");
                  });
          // One slot free again: the next client gets in, nothing to reset in the gateway.
          fillers.removeLast().close();
          try (Connection c = connect(proxy, ReferencePrincipal.ANALYST);
              Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT 42")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
          }
        }
      } finally {
        for (Connection c : fillers) {
          c.close();
        }
      }
    }
  }

  @Test
  void aHungUpstreamTimesOutNamingItEvenPastTheStartupTimeout() throws Exception {
    try (HungServer hung = new HungServer()) {
      // The upstream timeout is longer than the client's startup timeout on purpose: once the
      // token is verified, the wait is the upstream's, and the client must be told so.
      WireProxyConfig config =
          WireProxyConfig.defaults("127.0.0.1", 0)
              .withLimits(0, 0, Duration.ofSeconds(3), null)
              .withUpstreamTimeout(Duration.ofSeconds(4));
      TestGates.Assembly gate = TestGates.create(to(hung.port()));
      try (WireProxyServer proxy = new WireProxyServer(config, gate.gate()).start()) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> connect(proxy, ReferencePrincipal.ANALYST))
            .isInstanceOfSatisfying(
                PSQLException.class,
                e -> {
                  assertThat(e.getSQLState()).isEqualTo("XX000");
                  assertThat(e.getServerErrorMessage().getMessage())
                      .isEqualTo(
                          "cannot connect to the upstream database: no answer from the upstream"
                              + " database at 127.0.0.1:"
                              + hung.port()
                              + " (database `postgres`, role `postgres`) within 4 s; nothing"
                              + " ran, try again later");
                });
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(millis).isBetween(4_000L, 20_000L);
        // The gateway gave the hung connection up: the upstream end sees it closed.
        assertThat(hung.accepted()).hasSize(1);
        assertThat(hung.closedByGateway(hung.accepted().getFirst())).isTrue();
      }
    }
  }

  private static dev.gatehouse.engine.upstream.UpstreamDirectory to(int port) {
    return (database, role) -> new UpstreamTarget("127.0.0.1", port, database, "postgres", "");
  }

  private static Connection connect(WireProxyServer proxy, ReferencePrincipal principal)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", principal.subject());
    p.setProperty("password", ProxyFixture.token(principal));
    // The upstream database of the disposable server is `postgres`; the client names `shop`.
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?sslmode=disable", p);
  }

  /** A TCP server that accepts and never answers, as a hung host or a stuck pooler would. */
  static final class HungServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    HungServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!server.isClosed()) {
                      try {
                        accepted.add(server.accept());
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
    }

    int port() {
      return server.getLocalPort();
    }

    List<Socket> accepted() {
      return accepted;
    }

    /** Reads what the gateway sent (its StartupMessage) until it closes; false if it never does. */
    boolean closedByGateway(Socket socket) throws IOException {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[1024];
      try {
        while (in.read(buf) >= 0) {
          // the startup message, then nothing
        }
        return true;
      } catch (java.net.SocketTimeoutException e) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
      acceptor.interrupt();
    }
  }
}
