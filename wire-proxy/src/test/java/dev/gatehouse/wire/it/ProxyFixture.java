package dev.gatehouse.wire.it;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import dev.gatehouse.wire.testgate.ReferenceGates;
import dev.gatehouse.wire.testgate.TestGates;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A wire proxy on a free loopback port in front of the test PostgreSQL, with the test gate. */
public final class ProxyFixture implements AutoCloseable {

  /** The test-double gate (steerable policy), or null for a reference-policy fixture. */
  public final TestGates.Assembly gate;

  /** The reference-policy gate, or null for a test-double fixture. */
  public final ReferenceGates.Assembly reference;

  public final WireProxyServer server;

  public ProxyFixture() {
    this(WireProxyConfig.defaults("127.0.0.1", 0));
  }

  public ProxyFixture(WireProxyConfig config) {
    TestPostgres.get();
    this.gate = TestGates.create();
    this.reference = null;
    this.server = new WireProxyServer(config, gate.gate()).start();
  }

  private ProxyFixture(ReferenceGates.Assembly reference) {
    this.gate = null;
    this.reference = reference;
    this.server =
        new WireProxyServer(WireProxyConfig.defaults("127.0.0.1", 0), reference.gate()).start();
  }

  /** A proxy running the reference policy, logical database `shop` on {@code upstream}. */
  public static ProxyFixture reference(String upstream, String extraRules) {
    return new ProxyFixture(ReferenceGates.create(upstream, extraRules));
  }

  /** A proxy running the reference policy in front of another server than the shared one. */
  public static ProxyFixture reference(
      TestPostgres pg, String upstream, java.util.function.UnaryOperator<String> edit) {
    return new ProxyFixture(ReferenceGates.create(pg, upstream, "", edit));
  }

  /** As {@link #reference(String, String)}, with a last edit of the policy text. */
  public static ProxyFixture reference(
      String upstream, java.util.function.UnaryOperator<String> edit) {
    return new ProxyFixture(ReferenceGates.create(upstream, "", edit));
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

  /**
   * A raw protocol client logged in as {@code principal} to the shop database, its reads bounded to
   * 30 s: a hang fails the test, not the build.
   */
  RawClient raw(ReferencePrincipal principal) throws java.io.IOException {
    RawClient raw =
        RawClient.login(
            server.port(),
            principal.subject(),
            dev.gatehouse.testkit.TestPostgres.SHOP,
            token(principal));
    raw.socket.setSoTimeout(30_000);
    return raw;
  }

  @Override
  public void close() {
    server.stop();
    if (reference != null) {
      reference.close();
    }
  }
}
