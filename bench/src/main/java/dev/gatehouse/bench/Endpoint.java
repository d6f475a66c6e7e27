package dev.gatehouse.bench;

/**
 * Where a PostgreSQL client connects, as whom: PostgreSQL itself, a relay, a pooler or Gatehouse.
 */
public record Endpoint(
    String name, String host, int port, String user, String password, String database) {

  @Override
  public String toString() {
    return name + " (" + user + "@" + host + ":" + port + "/" + database + ")";
  }
}
