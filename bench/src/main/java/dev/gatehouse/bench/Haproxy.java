package dev.gatehouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** HAProxy in TCP mode: a pure byte relay in front of PostgreSQL, the cost of any proxy hop. */
public final class Haproxy {

  private Haproxy() {}

  /** Starts {@code haproxy} in the foreground relaying a new loopback port to {@code host:port}. */
  public static PeerProcess start(Path dir, String host, int upstreamPort) throws Exception {
    int port = PeerProcess.freePort();
    Path config =
        Files.writeString(
            dir.resolve("haproxy.cfg"),
            """
            global
              maxconn 1000

            defaults
              mode tcp
              timeout connect 5s
              timeout client 10m
              timeout server 10m

            listen postgres
              bind 127.0.0.1:%d
              server postgres %s:%d
            """
                .formatted(port, host, upstreamPort));
    // -db: stay in the foreground, so the bench owns the process and its lifetime.
    return PeerProcess.start(
        "haproxy",
        List.of("/usr/sbin/haproxy", "-db", "-f", config.toString()),
        port,
        dir.resolve("haproxy.log"));
  }
}
