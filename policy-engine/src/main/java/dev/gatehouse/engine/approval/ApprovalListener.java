package dev.gatehouse.engine.approval;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LISTEN connection per service instance, on its own thread, so that a decision committed
 * through any gateway instance wakes the waiters of this one. While the connection is lost the
 * service polls instead; after a reconnect it re-checks its waiters once for what it missed.
 */
final class ApprovalListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApprovalListener.class);
  private static final long HEARTBEAT_NANOS = Duration.ofSeconds(2).toNanos();

  private final Callable<Connection> connect;
  private final String channel;
  private final Consumer<UUID> onNotification;
  private final Runnable onReconnect;
  private final Duration backoff;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean listening;
  private volatile Connection current;

  ApprovalListener(
      Callable<Connection> connect,
      String channel,
      Consumer<UUID> onNotification,
      Runnable onReconnect,
      Duration backoff) {
    this.connect = connect;
    this.channel = channel;
    this.onNotification = onNotification;
    this.onReconnect = onReconnect;
    this.backoff = backoff;
    this.thread =
        Thread.ofPlatform().name("gatehouse-approval-listener").daemon(true).start(this::run);
  }

  /** True while notifications arrive; false means waiters must poll. */
  boolean listening() {
    return listening;
  }

  private void run() {
    boolean first = true;
    while (running) {
      try (Connection c = connect.call()) {
        current = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN \"" + channel + "\"");
        }
        listening = true;
        if (!first) {
          log.info("approval notifications are back on channel {}", channel);
          onReconnect.run();
        }
        first = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        long nextHeartbeat = System.nanoTime() + HEARTBEAT_NANOS;
        while (running) {
          PGNotification[] notes = pg.getNotifications(500);
          if (notes != null) {
            for (PGNotification n : notes) {
              deliver(n);
            }
          }
          if (System.nanoTime() >= nextHeartbeat) {
            // A half-open connection (peer gone without a reset) looks idle forever; a round trip
            // finds it, so waiters fall back to polling instead of waiting for lost notifications.
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
            nextHeartbeat = System.nanoTime() + HEARTBEAT_NANOS;
          }
        }
      } catch (Exception | AssertionError e) {
        if (listening && running) {
          log.warn(
              "approval notification connection lost, polling every waiter until it is back: {}",
              e.getMessage());
        }
        listening = false;
        first = false;
        sleep();
      } finally {
        current = null;
      }
    }
  }

  private void deliver(PGNotification n) {
    if (!channel.equals(n.getName())) {
      return;
    }
    try {
      onNotification.accept(UUID.fromString(n.getParameter()));
    } catch (IllegalArgumentException e) {
      log.warn("ignoring approval notification with payload `{}`", n.getParameter());
    }
  }

  private void sleep() {
    try {
      Thread.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Drops the connection, as a network failure would; the listener reconnects by itself. */
  void dropConnection() {
    Connection c = current;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing the approval listener connection", e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    dropConnection();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
