package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.LocalLog;
import dev.gatehouse.engine.audit.log.LogCursor;
import dev.gatehouse.engine.audit.log.LogRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies this instance's local audit log into the control database, oldest first, in batches (by
 * size, at most every {@link #INTERVAL_MS} ms unless full). The chain head row is the high-water
 * mark, moved in the same statement as the rows, so each record is stored once and a restart
 * resumes after it. Shipped segments are deleted. See ADR 0004, decision 12.
 */
final class LogShipper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
  static final int MAX_BATCH = 2_000;

  /**
   * At most this many bytes of record bodies go into one insert. The bodies travel as one array
   * parameter, which the JDBC driver encodes into one byte array (grown by doubling, then copied):
   * above about half a G1 region (512 KiB at the gateway's smaller heaps) each such array is a
   * humongous allocation, and each of those started a concurrent GC cycle (issue 15's profile). A
   * batch over the bound ships as several inserts, one after the other.
   */
  static final int MAX_BATCH_BYTES = 192 * 1024;

  static final long INTERVAL_MS = 50;
  private static final long ANCHOR_NANOS = Duration.ofMinutes(1).toNanos();

  private final ControlDatabase db;
  private final AuditKey key;
  private final String instanceId;
  private final LocalLog localLog;
  private final long retryMillis;
  private final Retention retention;
  private final Set<LocalDate> partitions = new HashSet<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long shippedSeq = -1;
  private volatile long shippedBytes;
  private volatile long shippedCount;
  private volatile long oldestPendingMicros;
  private volatile long caughtUpNanos = System.nanoTime();
  private volatile Throwable failure;
  private LogCursor cursor;
  private List<LogRecord> pending = new ArrayList<>();
  private String shippedHash;
  private long lastShip;
  private long lastCleanup;
  private long lastAnchor = System.nanoTime() - ANCHOR_NANOS;

  LogShipper(
      ControlDatabase db,
      AuditKey key,
      String instanceId,
      LocalLog localLog,
      Duration retry,
      Duration retention) {
    this.db = db;
    this.key = key;
    this.instanceId = instanceId;
    this.localLog = localLog;
    this.retryMillis = retry.toMillis();
    this.retention = retention == null ? null : new Retention(db, key, instanceId, retention);
    try {
      start(); // at once, so the first statements see the real lag
    } catch (SQLException | RuntimeException e) {
      failure = e;
      log.warn(
          "cannot reach the control database to ship the audit log, will retry: {}",
          e.getMessage());
    }
    this.thread =
        Thread.ofPlatform().name("gatehouse-audit-shipper").daemon(true).unstarted(this::run);
    thread.start();
  }

  /** How far the control database is behind the local log. */
  AuditLag lag() {
    LocalLog.Written w = localLog.written();
    long shipped = shippedSeq;
    if (shipped < 0) {
      // Not started yet (control database unknown): nothing is known to be shipped.
      return new AuditLag(w.seq() + localLog.unwritten(), ageSeconds(), w.bytes());
    }
    // Records nobody waits for that are not written yet count too: they are not in the trail.
    long records = Math.max(0, w.seq() - shipped) + localLog.unwritten();
    return records == 0
        ? AuditLag.NONE
        : new AuditLag(records, ageSeconds(), Math.max(0, w.bytes() - shippedBytes));
  }

  private double ageSeconds() {
    long oldest = oldestPendingMicros;
    if (oldest > 0) {
      long nowMicros = ChainHasher.micros(java.time.Instant.now());
      return Math.max(0, nowMicros - oldest) / 1e6;
    }
    return (System.nanoTime() - caughtUpNanos) / 1e9;
  }

  boolean healthy() {
    return failure == null;
  }

  long shipped() {
    return shippedCount;
  }

  private void run() {
    while (running || (failure == null && shippedSeq >= 0 && pendingOrUnread())) {
      try {
        if (cursor == null || failure != null) {
          // After a failure, read the head again: a commit whose acknowledgement was lost (the
          // connection cut after COMMIT, as in a failover) has moved it already, and shipping the
          // same batch from the old head would fail forever.
          pending = new ArrayList<>();
          start();
        }
        fill();
        if (pending.isEmpty()) {
          failure = null; // connected, and nothing is left to ship
          shippedBytes = cursor.bytesRead();
          caughtUpNanos = System.nanoTime();
          oldestPendingMicros = 0;
          localLog.awaitPast(shippedSeq, INTERVAL_MS);
          continue;
        }
        oldestPendingMicros = pending.getFirst().atMicros();
        long wait = lastShip + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS) - System.nanoTime();
        if (pending.size() < MAX_BATCH && fits(pending.size()) && wait > 0 && running) {
          Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1); // gather a bigger batch
          fill();
        }
        ship();
        housekeeping();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException | IOException | RuntimeException e) {
        // Once per kind of failure: a failure of another kind while retrying (the control database
        // back, and now the log unreadable) must show, or a stall reads as an outage.
        if (failure == null || !java.util.Objects.equals(failure.toString(), e.toString())) {
          log.warn(
              "cannot ship the audit log to the control database, will retry: {}", e.toString());
        }
        failure = e;
        if (!running) {
          return; // stopping during an outage: the segments keep the records for the next start
        }
        sleep(retryMillis);
      }
    }
  }

  private boolean pendingOrUnread() {
    return !pending.isEmpty() || localLog.written().seq() > shippedSeq;
  }

  /** Reads where the control database stands, so a restart resumes after it. */
  private void start() throws SQLException {
    db.ensureMigrated();
    try (Connection c = db.dataSource().getConnection();
        var ps =
            c.prepareStatement("SELECT seq, hash FROM audit_chain_head WHERE instance_id = ?")) {
      ps.setString(1, instanceId);
      try (var rs = ps.executeQuery()) {
        long seq = rs.next() ? rs.getLong(1) : 0;
        shippedHash = seq == 0 ? ChainHasher.GENESIS : rs.getString(2);
        if (seq > localLog.written().seq()) {
          throw new SQLException(
              "the control database holds chain `"
                  + instanceId
                  + "` up to seq "
                  + seq
                  + " but the local audit log `"
                  + localLog.directory()
                  + "` only up to "
                  + localLog.written().seq()
                  + "; is another gateway using this instance id?");
        }
        shippedSeq = seq;
      }
    }
    cursor = new LogCursor(localLog.directory(), shippedSeq);
    if (failure != null) {
      log.info("audit shipper connected to the control database");
    }
  }

  private void fill() throws IOException {
    if (pending.size() < MAX_BATCH) {
      pending.addAll(cursor.read(MAX_BATCH - pending.size(), localLog.written()));
    }
  }

  /** True when the first {@code n} pending records' bodies fit in one insert. */
  private boolean fits(int n) {
    return batchSize(n) == n;
  }

  /** How many of the first {@code n} pending records ship in one insert (at least one). */
  private int batchSize(int n) {
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      bytes += pending.get(i).bodyUtf8().length;
      if (bytes > MAX_BATCH_BYTES && i > 0) {
        return i;
      }
    }
    return n;
  }

  private void ship() throws SQLException {
    db.ensureMigrated();
    int n = batchSize(pending.size());
    List<LogRecord> batch = pending.subList(0, n);
    List<EntryRows.Row> rows = EntryRows.rows(batch, true);
    LogRecord last = batch.getLast();
    try (Connection c = db.dataSource().getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      EntryRows.ensurePartitions(c, rows, partitions);
      EntryRows.insert(c, key, instanceId, rows, shippedSeq, last.seq(), last.hash());
    }
    if (failure != null) {
      log.info(
          "control database is back: audit shipping resumed at seq {}", pending.getFirst().seq());
      failure = null;
    }
    shippedCount += n;
    shippedSeq = last.seq();
    shippedHash = last.hash();
    boolean all = n == pending.size();
    pending = all ? new ArrayList<>() : new ArrayList<>(pending.subList(n, pending.size()));
    if (all) {
      shippedBytes = cursor.bytesRead();
    }
    lastShip = System.nanoTime();
  }

  private void housekeeping() throws IOException, SQLException {
    long now = System.nanoTime();
    if (now - lastCleanup > TimeUnit.SECONDS.toNanos(1)) {
      lastCleanup = now;
      localLog.deleteThrough(shippedSeq);
      if (retention != null && retention.due()) {
        retention.apply();
        partitions.clear();
      }
    }
    if (now - lastAnchor >= ANCHOR_NANOS) {
      lastAnchor = now;
      log.info(
          "audit chain anchor: chain `{}` seq {} hash {}", instanceId, shippedSeq, shippedHash);
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Ships what the log holds (for up to 10 s), then stops; what is left ships at next start. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
