package dev.gatehouse.engine.upstream;

/**
 * Where and as whom a front end connects upstream for a decision's role. The password never leaves
 * the gateway: it is not logged, audited or shown to clients.
 */
public record UpstreamTarget(String host, int port, String database, String user, String password) {

  @Override
  public String toString() {
    return "UpstreamTarget[" + user + "@" + host + ":" + port + "/" + database + "]";
  }
}
