package dev.gatehouse.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer program (HAProxy, PgBouncer) running in the foreground as a child of the bench, listening
 * on a loopback port; killed on {@link #close()} and, should the bench die first, at JVM exit.
 */
public final class PeerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final Thread reaper;

  private PeerProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.reaper = new Thread(process::destroyForcibly, name + "-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Starts {@code command} with its output in {@code log}; returns once {@code port} accepts. */
  static PeerProcess start(String name, List<String> command, int port, Path log) throws Exception {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PeerProcess peer = new PeerProcess(name, p, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!accepts(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        peer.close();
        throw new IllegalStateException(
            name
                + " did not start listening on port "
                + port
                + "; its log:\n"
                + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return peer;
  }

  /** A loopback port nobody listens on now (the peer binds it a moment later). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Removes a peer's working directory (configs, logs) once it has stopped. */
  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** True while the process runs: a peer that died mid-run would void its figures. */
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs anyway, harmlessly
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", port " + port + ")";
  }
}
