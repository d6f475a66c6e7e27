package dev.gatehouse.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A principal that keeps working through the gateway while a test injects faults or attacks: one
 * JDBC session that inserts numbered rows ({@code INSERT INTO <table> VALUES (n)}), reconnecting
 * after a failure and every {@code reconnectEvery} statements, so connecting is measured too. It
 * remembers which numbers the gateway acknowledged, every failure it saw, and each operation's
 * latency.
 */
final class Victim implements AutoCloseable {

  /** One connect or one statement, and how long it took. */
  record Sample(long atNanos, long nanos, boolean connect) {}

  /** A failure as the client saw it; {@code n} is the statement's number, -1 for a connect. */
  record Failure(long atNanos, int n, String sqlState, String message) {}

  private final BenchStack stack;
  private final IntSupplier port;
  private final String table;
  private final ReferencePrincipal who;
  private final int reconnectEvery;
  private final AtomicInteger next;
  private final Set<Integer> acked = new HashSet<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<Sample> samples = new ArrayList<>();

  /** The local address the victim connects from (null: the system's choice). */
  private volatile String localAddress;

  private volatile boolean stopped;
  private Thread thread;

  Victim(
      BenchStack stack,
      IntSupplier port,
      String table,
      ReferencePrincipal who,
      int firstNumber,
      int reconnectEvery) {
    this.stack = stack;
    this.port = port;
    this.table = table;
    this.who = who;
    this.next = new AtomicInteger(firstNumber);
    this.reconnectEvery = reconnectEvery;
  }

  Victim start() {
    thread = Thread.ofPlatform().name("victim-" + who.subject()).start(this::run);
    return this;
  }

  private void run() {
    Connection c = null;
    int onThisConnection = 0;
    while (!stopped) {
      int n = -1;
      try {
        if (c == null || onThisConnection >= reconnectEvery) {
          close(c);
          c = null;
          long t0 = System.nanoTime();
          c = connect();
          sample(t0, true);
          onThisConnection = 0;
        }
        n = next.getAndIncrement();
        long t0 = System.nanoTime();
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO " + table + " VALUES (" + n + ")");
        }
        sample(t0, false);
        onThisConnection++;
        synchronized (this) {
          acked.add(n);
          notifyAll();
        }
      } catch (SQLException e) {
        synchronized (this) {
          failures.add(new Failure(System.nanoTime(), n, e.getSQLState(), e.getMessage()));
        }
        close(c);
        c = null;
        pause(50); // a client's back-off, so a refusing gateway is not hammered
      }
    }
    close(c);
  }

  /** Connects from {@code address} (another loopback address, say), before {@link #start}. */
  Victim from(String address) {
    this.localAddress = address;
    return this;
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    if (localAddress != null) {
      p.setProperty("localSocketAddress", localAddress);
    }
    p.setProperty("user", who.subject());
    p.setProperty("password", stack.token(who));
    p.setProperty("sslmode", "disable");
    p.setProperty("connectTimeout", "30");
    p.setProperty("socketTimeout", "60");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port.getAsInt() + "/shop", p);
  }

  private synchronized void sample(long t0, boolean connect) {
    long now = System.nanoTime();
    samples.add(new Sample(now, now - t0, connect));
  }

  /** Waits until {@code count} more statements than {@code since} are acknowledged. */
  synchronized boolean awaitAcked(int since, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acked.size() < since + count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  synchronized int ackedCount() {
    return acked.size();
  }

  synchronized Set<Integer> acked() {
    return Set.copyOf(acked);
  }

  synchronized int failureCount() {
    return failures.size();
  }

  synchronized List<Failure> failuresSince(long nanos) {
    return failures.stream().filter(f -> f.atNanos() >= nanos).toList();
  }

  synchronized List<Sample> samplesBetween(long fromNanos, long toNanos) {
    return samples.stream().filter(s -> s.atNanos() >= fromNanos && s.atNanos() < toNanos).toList();
  }

  /** The {@code q} quantile (0..1) of the samples' latencies, in milliseconds. */
  static double quantileMillis(List<Sample> samples, double q) {
    long[] nanos = samples.stream().mapToLong(Sample::nanos).sorted().toArray();
    if (nanos.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(nanos.length - 1, Math.ceil(q * nanos.length) - 1);
    return nanos[Math.max(0, index)] / 1e6;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(90));
    }
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // the session is gone already
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
