package dev.gatehouse.engine.audit;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread: takes everything queued and commits it in one transaction (natural group
 * commit: records that arrive during a commit form the next batch), spooling each batch first, then
 * completes the futures. Records nobody waits for (outcomes, authentication, connections, approval
 * steps) do not force a commit of their own: they are spooled at once and ride with the next batch,
 * at the latest after the deferral bound. While the control database is down it keeps spooling (in
 * memory, bounded, while the spool cannot be written: {@link WriteAhead}), fails the futures at
 * once (statements are refused) and retries; what it kept is replayed, oldest first, as soon as a
 * commit succeeds again.
 */
final class GroupCommitWriter implements RecordSink {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int QUEUE_CAPACITY = 200_000;
  private static final long ANCHOR_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * @param awaited a caller waits for this record (a statement's decision), so it is committed
   *     without delay
   */
  private record Pending(AuditRecord record, boolean awaited, CompletableFuture<Void> committed) {}

  private final ChainStore store;
  private final WriteAhead writeAhead;
  private final long deferNanos;
  private final int maxBatch;
  private final long retryNanos;
  private final AuditOutage outage;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private final AtomicLong committedCount = new AtomicLong();
  private final AtomicLong deferredCount = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean backlog;
  private volatile Throwable lastFailure;
  private long nextRetry;
  // Records taken and spooled but not committed yet, because nobody waits for them.
  private final List<Pending> deferred = new ArrayList<>();
  private long deferredSince;
  private long lastAnchor = System.nanoTime() - ANCHOR_NANOS;

  GroupCommitWriter(
      ChainStore store,
      AuditSpool spool,
      Duration deferral,
      int maxBatch,
      Duration retry,
      boolean fsyncAlways,
      AuditOutage outage,
      String name,
      int maxHeld) {
    this.store = store;
    this.deferNanos = deferral.toNanos();
    this.maxBatch = maxBatch;
    this.retryNanos = retry.toNanos();
    this.outage = outage;
    this.writeAhead = new WriteAhead(spool, fsyncAlways, maxHeld, maxBatch);
    // Records left from a previous run go first, before anything new.
    this.backlog = !writeAhead.isEmpty();
    if (backlog) {
      // Replay what an earlier run left before accepting anything new, so statements are not
      // refused just because the gateway restarted; if the database is down, keep retrying.
      recover();
    }
    this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    thread.start();
  }

  /**
   * Queues a record; the future completes when it is committed, or fails if it cannot be now. An
   * {@code awaited} record is committed as soon as the writer is free; any other may wait up to the
   * deferral bound to share a commit.
   */
  @Override
  public CompletableFuture<Void> submit(AuditRecord record, boolean awaited) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(unavailable("the audit writer is stopped", null));
    } else if (!queue.offer(new Pending(record, awaited, f))) {
      log.error(
          "audit queue full ({} records): {} record {} not accepted",
          QUEUE_CAPACITY,
          record.kind(),
          record.id());
      // Not accepted, so not kept either: nothing may run on its account, fail-open included.
      f.completeExceptionally(
          new AuditUnavailableException(
              "audit trail unavailable, the audit queue is full", lastFailure, false));
    } else if (backlog && writeAhead.full()) {
      // Neither the database, the spool nor memory can keep it: nothing may run on its account.
      f.completeExceptionally(notKept(lastFailure));
    } else if (backlog && !writeAhead.spoolFailing()) {
      // Known to be down: refuse now rather than after a timeout. The record is still queued, so
      // it is spooled and committed once the database is back.
      f.completeExceptionally(unavailable("the control database cannot be written", lastFailure));
    }
    // With the spool failing too, whether the record is kept depends on the room left in memory,
    // which only the writer knows: it answers (held, or not kept) without waiting on the database.
    // Answering "kept" here let a fail-open statement run just as memory filled, its record lost.
    return f;
  }

  /** False while the control database cannot be written. */
  @Override
  public boolean healthy() {
    return !backlog;
  }

  @Override
  public long committed() {
    return committedCount.get();
  }

  @Override
  public long deferred() {
    return deferredCount.get();
  }

  /**
   * Records not in the control database yet (spooled, held in memory or queued), the oldest's age,
   * spool bytes.
   */
  @Override
  public AuditLag lag() {
    double seconds = WriteAhead.ageMicros(writeAhead.oldestMicros()) / 1e6;
    return new AuditLag(writeAhead.count() + queue.size(), seconds, writeAhead.bytes());
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty() || !deferred.isEmpty()) {
      try {
        collect(batch);
        if (batch.isEmpty() && deferred.isEmpty()) {
          if (backlog && System.nanoTime() >= nextRetry) {
            recover();
          }
          continue;
        }
        if (batch.isEmpty() && System.nanoTime() - deferredSince < deferNanos && running) {
          continue; // woken early; the deferred records may wait a little longer
        }
        if (defer(batch)) {
          continue;
        }
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException | Error e) {
        // Never let the writer die: a record it cannot handle fails its caller, not the trail.
        log.error("audit writer failed on a batch of {} records", batch.size(), e);
        if (!deferred.isEmpty()) {
          // They are in the spool: a replay (after the retry interval) commits them.
          deferred.clear();
          enterBacklog(e);
        }
        fail(batch, e);
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Takes what is queued, without waiting for more: a commit costs the same for one record as for
   * many, and whatever arrives while it runs forms the next batch. With deferred records, waits no
   * longer than their bound.
   */
  private void collect(List<Pending> batch) throws InterruptedException {
    // Never longer than 50 ms, so that a stop is noticed soon.
    long wait = TimeUnit.MILLISECONDS.toNanos(50);
    if (!deferred.isEmpty()) {
      wait = Math.min(wait, deferredSince + deferNanos - System.nanoTime());
    }
    Pending first = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
    if (first == null) {
      return;
    }
    batch.add(first);
    queue.drainTo(batch, Math.max(0, maxBatch - deferred.size() - 1));
  }

  /**
   * Spools a batch that nobody waits for and keeps it for the next commit, unless its bound is
   * reached, the batch is full, the writer stops or the database is down.
   *
   * @return true when the batch was deferred
   */
  private boolean defer(List<Pending> batch) {
    if (deferNanos == 0
        || !running
        || backlog
        || batch.isEmpty()
        || deferred.size() + batch.size() >= maxBatch
        || batch.stream().anyMatch(Pending::awaited)) {
      return false;
    }
    long now = System.nanoTime();
    if (!deferred.isEmpty() && now - deferredSince >= deferNanos) {
      return false;
    }
    if (!writeAhead.spool(batch.stream().map(Pending::record).toList())) {
      return false; // not on disk: commit it now rather than hold it only in memory
    }
    if (deferred.isEmpty()) {
      deferredSince = now;
    }
    deferred.addAll(batch);
    deferredCount.addAndGet(batch.size());
    return true;
  }

  /** Commits the deferred records (already spooled) and {@code fresh} (spooled here) together. */
  private void write(List<Pending> fresh) {
    List<AuditRecord> freshRecords = fresh.stream().map(Pending::record).toList();
    boolean spooled = writeAhead.spool(freshRecords);
    List<Pending> batch = fresh;
    if (!deferred.isEmpty()) {
      batch = new ArrayList<>(deferred.size() + fresh.size());
      batch.addAll(deferred);
      batch.addAll(fresh);
      deferred.clear();
    }
    if (backlog && System.nanoTime() < nextRetry) {
      writeAhead.force();
      if (!spooled) {
        hold(fresh, freshRecords);
      }
      fail(batch, lastFailure);
      return;
    }
    try {
      if (backlog) {
        replaySpool();
        if (!spooled) {
          // This batch never reached the spool, so the replay did not include it.
          committedCount.addAndGet(store.appendIsolating(freshRecords, true));
        }
      } else {
        List<AuditRecord> records =
            batch == fresh ? freshRecords : batch.stream().map(Pending::record).toList();
        committedCount.addAndGet(store.appendIsolating(records, false));
      }
      publishAnchor();
      writeAhead.clear();
      outage.durableAgain();
      batch.forEach(p -> p.committed().complete(null));
    } catch (SQLException | RuntimeException | Error e) {
      // The driver may fail with more than SQLException on a dead connection.
      enterBacklog(e);
      if (!spooled) {
        hold(fresh, freshRecords);
      }
      fail(batch, e);
    }
  }

  /**
   * Logs the chain head at most once a minute. Logs shipped off the machine then hold anchors that
   * {@link AuditVerifier#verify(java.util.Collection)} checks, so an old head row put back after
   * deleting the newest records is found too.
   */
  private void publishAnchor() {
    long now = System.nanoTime();
    if (now - lastAnchor < ANCHOR_NANOS) {
      return;
    }
    VerifyReport.Anchor head = store.head();
    if (head != null) {
      log.info(
          "audit chain anchor: chain `{}` seq {} hash {}",
          head.instanceId(),
          head.seq(),
          head.hash());
      lastAnchor = now;
    }
  }

  /**
   * Keeps in memory the records of {@code fresh} that neither the control database nor the spool
   * took; those that do not fit fail with "not kept", so no statement runs on their account.
   */
  private void hold(List<Pending> fresh, List<AuditRecord> records) {
    int lost = writeAhead.hold(records);
    for (int i = fresh.size() - lost; i < fresh.size(); i++) {
      fresh.get(i).committed().completeExceptionally(notKept(lastFailure));
    }
  }

  private void recover() {
    try {
      replaySpool();
    } catch (SQLException | RuntimeException | Error e) {
      enterBacklog(e);
    }
  }

  /**
   * Commits everything in the spool (this batch included) and held in memory, skipping records
   * already stored.
   */
  private void replaySpool() throws SQLException {
    int count =
        writeAhead.replay(
            maxBatch,
            chunk -> {
              int n = store.appendIsolating(chunk, true);
              committedCount.addAndGet(n);
              return n;
            });
    if (backlog) {
      outage.end(
          AuditOutage.Cause.CONTROL_DATABASE,
          "the control database is back: replayed " + count + " spooled audit records");
    }
    backlog = false;
    lastFailure = null;
  }

  private void enterBacklog(Throwable e) {
    if (!backlog) {
      outage.begin(
          AuditOutage.Cause.CONTROL_DATABASE,
          "the control database cannot be written ("
              + e.getMessage()
              + "); audit records are spooled until it is back");
    }
    backlog = true;
    lastFailure = e;
    nextRetry = System.nanoTime() + retryNanos;
    writeAhead.force();
  }

  private static void fail(List<Pending> batch, Throwable cause) {
    AuditUnavailableException e = unavailable("the control database cannot be written", cause);
    batch.forEach(p -> p.committed().completeExceptionally(e));
  }

  private static AuditUnavailableException notKept(Throwable cause) {
    String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return new AuditUnavailableException(
        "audit trail unavailable, the record cannot be kept: the control database and the audit"
            + " spool cannot be written, and memory holds as many records as it may"
            + detail,
        cause,
        false);
  }

  private static AuditUnavailableException unavailable(String why, Throwable cause) {
    String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return new AuditUnavailableException("audit trail unavailable, " + why + detail, cause);
  }

  /** Stops after writing what is queued; records that cannot be committed stay in the spool. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.error(
          "audit writer did not stop within 10 s (control database hung?); {} queued records were"
              + " not spooled",
          queue.size());
    }
    writeAhead.close();
  }
}
