package dev.gatehouse.wire.it;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.TestGates;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A wire proxy on a free loopback port in front of the test PostgreSQL, with the test gate. */
public final class ProxyFixture implements AutoCloseable {

  public final TestGates.Assembly gate;
  public final WireProxyServer server;

  public ProxyFixture() {
    this(WireProxyConfig.defaults("127.0.0.1", 0));
  }

  public ProxyFixture(WireProxyConfig config) {
    TestPostgres.get();
    this.gate = TestGates.create();
    this.server = new WireProxyServer(config, gate.gate()).start();
  }

  public String url(String database, String extra) {
    return "jdbc:postgresql://127.0.0.1:"
        + server.port()
        + "/"
        + database
        + "?sslmode=disable"
        + (extra.isEmpty() ? "" : "&" + extra);
  }

  public static String token(ReferencePrincipal principal) {
    return TestIssuer.get().tokenFor(principal);
  }

  public Connection connect(ReferencePrincipal principal, String database, String extra)
      throws SQLException {
    return connectWithToken(token(principal), principal.subject(), database, extra);
  }

  public Connection connectWithToken(String token, String user, String database, String extra)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", token);
    return DriverManager.getConnection(url(database, extra), p);
  }

  @Override
  public void close() {
    server.stop();
  }
}
