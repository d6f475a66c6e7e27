package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.policy.DatabaseConfig;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.gateway.config.GatewayConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks made before anything listens, so that a wrong setting is one clear line at start. */
final class Preflight {

  private static final Logger log = LoggerFactory.getLogger(Preflight.class);

  private Preflight() {}

  /** The control database must answer: without it no statement could be audited. */
  static void controlDatabase(GatewayConfig config) {
    Properties props = new Properties();
    props.setProperty("user", config.control().user());
    if (config.control().password() != null && !config.control().password().isEmpty()) {
      props.setProperty("password", config.control().password());
    }
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "10");
    props.setProperty("ApplicationName", "gatehouse-preflight");
    try (Connection c = DriverManager.getConnection(config.control().jdbcUrl(), props)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw config.error(
          "control.url",
          "cannot connect to the control database `"
              + config.control().jdbcUrl()
              + "`: "
              + firstLine(e.getMessage()));
    }
  }

  /**
   * Upstream databases may be down for a while without the gateway being misconfigured: each
   * statement fails closed then. A warning at start saves a confused first user. Returns the
   * smallest number of connection slots an ordinary role has on the upstreams that answered ({@code
   * max_connections} less the superuser's and other reserved slots), or -1 when none did.
   */
  static int upstreams(GatewayConfig config, Engine engine) {
    int capacity = -1;
    for (DatabaseConfig db : engine.policy().policy().databases().values()) {
      for (String role : db.roles().keySet()) {
        UpstreamTarget t = engine.policy().upstream(db.name(), role);
        Properties props = new Properties();
        props.setProperty("user", t.user());
        props.setProperty("password", t.password());
        props.setProperty("connectTimeout", "5");
        String url = "jdbc:postgresql://" + t.host() + ":" + t.port() + "/" + t.database();
        try (Connection c = DriverManager.getConnection(url, props);
            java.sql.Statement s = c.createStatement();
            java.sql.ResultSet rs = s.executeQuery(CAPACITY)) {
          rs.next();
          int slots = rs.getInt(1);
          capacity = capacity < 0 ? slots : Math.min(capacity, slots);
        } catch (SQLException e) {
          log.warn(
              "policy database `{}` role `{}` cannot be reached now: {}",
              db.name(),
              role,
              firstLine(e.getMessage()));
        }
      }
    }
    return capacity;
  }

  /**
   * Slots an ordinary role may use: PostgreSQL keeps the rest for superusers (and, from 16, roles
   * of pg_use_reserved_connections).
   */
  private static final String CAPACITY =
      "SELECT current_setting('max_connections')::int"
          + " - current_setting('superuser_reserved_connections')::int"
          + " - coalesce(current_setting('reserved_connections', true)::int, 0)";

  private static String firstLine(String message) {
    String line = message == null ? "no answer" : message.lines().findFirst().orElse("").strip();
    return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
  }
}
