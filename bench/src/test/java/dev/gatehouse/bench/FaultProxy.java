package dev.gatehouse.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy that injects network faults between the gateway and a PostgreSQL server, as
 * toxiproxy does: it delays every chunk, stops forwarding (a hung server whose connections stay
 * open), cuts every connection, and stops and starts listening on the same port (a server that went
 * away and one that took over its address).
 */
final class FaultProxy implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile ServerSocket listener;
  private volatile long delayMillis;
  private volatile boolean hung;

  private FaultProxy(int targetPort, ServerSocket listener) {
    this.targetPort = targetPort;
    this.listener = listener;
    this.port = listener.getLocalPort();
    accept(listener);
  }

  /** A proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}. */
  static FaultProxy start(int targetPort) throws IOException {
    return new FaultProxy(targetPort, bind(0));
  }

  int port() {
    return port;
  }

  /** Every chunk in either direction waits this long before it is forwarded; 0: none. */
  void delay(long millis) {
    delayMillis = millis;
  }

  /** Stops forwarding in both directions: connections stay open and nothing answers. */
  void hang() {
    hung = true;
  }

  /** Forwards again what waited while hung. */
  void resume() {
    synchronized (gate) {
      hung = false;
      gate.notifyAll();
    }
  }

  /** Resets every open connection (RST), as a crashed server or a failed-over address does. */
  void cut() {
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0);
      } catch (IOException e) {
        // already closed
      }
      closeQuietly(s);
    }
    open.clear();
  }

  /** Stops listening and cuts every connection: new connections are refused. */
  synchronized void down() {
    ServerSocket l = listener;
    listener = null;
    closeQuietly(l);
    cut();
  }

  /** Listens again on the same port. */
  synchronized void up() throws IOException {
    if (listener != null) {
      return;
    }
    // The closed listener's port can take a moment to be free again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        listener = bind(port);
        accept(listener);
        return;
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void accept(ServerSocket l) {
    Thread.ofPlatform()
        .daemon()
        .name("fault-proxy-" + port)
        .start(
            () -> {
              while (!l.isClosed()) {
                try {
                  Socket client = l.accept();
                  Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  client.setTcpNoDelay(true);
                  server.setTcpNoDelay(true);
                  open.add(client);
                  open.add(server);
                  pump(client, server);
                  pump(server, client);
                } catch (IOException e) {
                  // the listener closed, or the target refused: the client's socket closes
                }
              }
            });
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform()
        .daemon()
        .name("fault-proxy-pump")
        .start(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  waitWhileHung();
                  long d = delayMillis;
                  if (d > 0) {
                    Thread.sleep(d);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // one side closed or was cut
              } finally {
                open.remove(from);
                open.remove(to);
                closeQuietly(from);
                closeQuietly(to);
              }
            });
  }

  private void waitWhileHung() throws InterruptedException {
    synchronized (gate) {
      while (hung) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    resume();
    down();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + port + " -> " + targetPort + "]";
  }
}
