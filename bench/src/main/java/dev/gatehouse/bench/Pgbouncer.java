package dev.gatehouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/** PgBouncer in session mode, without inspection: the pooler a user would put in front instead. */
public final class Pgbouncer {

  /** PgBouncer refuses to run as root; as root the bench hands it to this user. */
  static final String RUN_AS = "postgres";

  private Pgbouncer() {}

  /**
   * Starts {@code pgbouncer} in the foreground on a new loopback port, serving {@code database} to
   * {@code user} (checked against its own userlist with SCRAM), with room for {@code clients}.
   */
  public static PeerProcess start(
      Path dir,
      String host,
      int upstreamPort,
      String database,
      String user,
      String password,
      int clients)
      throws Exception {
    int port = PeerProcess.freePort();
    Path users =
        Files.writeString(dir.resolve("userlist.txt"), "\"%s\" \"%s\"\n".formatted(user, password));
    Path config =
        Files.writeString(
            dir.resolve("pgbouncer.ini"),
            """
            [databases]
            %1$s = host=%2$s port=%3$d dbname=%1$s

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = %4$d
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = %5$s
            pool_mode = session
            max_client_conn = %6$d
            default_pool_size = %6$d
            max_db_connections = 0
            ignore_startup_parameters = extra_float_digits
            log_connections = 0
            log_disconnections = 0
            %7$s
            """
                .formatted(
                    database,
                    host,
                    upstreamPort,
                    port,
                    users,
                    clients + 8,
                    root() ? "user = " + RUN_AS : ""));
    if (root()) {
      // It reads its files again after dropping privileges (on reload, and the auth file).
      UserPrincipal owner =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
      for (Path p : List.of(dir, users, config)) {
        Files.setOwner(p, owner);
      }
    }
    Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
    return PeerProcess.start(
        "pgbouncer",
        List.of("/usr/sbin/pgbouncer", config.toString()),
        port,
        dir.resolve("pgbouncer.log"));
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }
}
