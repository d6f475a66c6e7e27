package dev.gatehouse.engine.policy;

import java.util.Map;

/**
 * A logical database and where it lives upstream.
 *
 * @param roles upstream roles by the name rules use, with their credentials
 */
public record DatabaseConfig(
    String name, String host, int port, String database, Map<String, Credentials> roles) {

  public DatabaseConfig {
    roles = Map.copyOf(roles);
  }

  /** An upstream role's login; the password never appears in logs or messages. */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[" + user + "]";
    }
  }
}
