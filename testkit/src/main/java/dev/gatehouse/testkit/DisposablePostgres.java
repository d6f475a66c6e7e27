package dev.gatehouse.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private PostgreSQL for one test that must stop and start the server (e.g. to prove a control
 * database outage fails closed). It keeps its data directory and port across {@link #stop()} and
 * {@link #start()}, and deletes them on {@link #close()}. Only the superuser {@code postgres}
 * exists, trusted on loopback.
 */
public final class DisposablePostgres implements AutoCloseable {

  private final Path dataDir;
  private int port;
  private EmbeddedPostgres running;

  private DisposablePostgres(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Starts a new server on a free port. */
  public static DisposablePostgres create() {
    try {
      DisposablePostgres pg = new DisposablePostgres(Files.createTempDirectory("gatehouse-pg-d-"));
      pg.start();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a disposable postgres", e);
    }
  }

  /** Starts the server again on the same port with the same data; a no-op when running. */
  public synchronized void start() {
    if (running != null) {
      return;
    }
    try {
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(true)
              .setServerConfig("fsync", "off")
              .setServerConfig("max_connections", "60");
      if (port != 0) {
        b.setPort(port);
      }
      running = b.start();
      port = running.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the disposable postgres", e);
    }
  }

  /** Stops the server (fast shutdown); its data stays for {@link #start()}. */
  public synchronized void stop() {
    if (running == null) {
      return;
    }
    try {
      running.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the disposable postgres", e);
    } finally {
      running = null;
    }
  }

  /**
   * Freezes the server and every backend (SIGSTOP), as a network partition or a hung host would:
   * connections stay open but nothing answers. Only this server's own processes are signalled.
   */
  public synchronized void freeze() {
    signal("-STOP");
  }

  /** Lets a frozen server run again (SIGCONT). */
  public synchronized void thaw() {
    signal("-CONT");
  }

  private void signal(String sig) {
    long postmaster = postmasterPid();
    ProcessHandle root =
        ProcessHandle.of(postmaster)
            .orElseThrow(() -> new IllegalStateException("postgres " + postmaster + " is gone"));
    java.util.List<Long> pids = new java.util.ArrayList<>();
    pids.add(root.pid());
    root.descendants().forEach(p -> pids.add(p.pid()));
    for (long pid : pids) {
      try {
        Process kill = new ProcessBuilder("kill", sig, Long.toString(pid)).inheritIO().start();
        kill.waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException("could not signal postgres process " + pid, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private long postmasterPid() {
    try {
      return Long.parseLong(
          Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().strip());
    } catch (IOException e) {
      throw new UncheckedIOException("postgres is not running in " + dataDir, e);
    }
  }

  public boolean isRunning() {
    return running != null;
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for {@code database}; connect as user {@code postgres} without a password. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dataDir, e);
    }
  }
}
