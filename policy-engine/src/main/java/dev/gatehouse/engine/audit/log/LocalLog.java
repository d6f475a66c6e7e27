package dev.gatehouse.engine.audit.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local audit log of one instance: one writer thread takes every queued record, assigns its
 * sequence number and chain hash, writes the batch with one {@code write} and completes the callers
 * under the {@link Fsync} policy (group commit). See ADR 0004, decisions 10 and 11.
 *
 * <p>Unless every write is forced ({@link Fsync#ALWAYS}, where the group commit pays for itself), a
 * record appended while nothing is queued is written by the caller itself, under the lock the
 * writer holds for each batch: its result is released without a hop to the writer thread and back
 * (issue 15). Order is kept: a caller writes only when every record appended before is written.
 *
 * <p>A record nobody waits for (an outcome, a connection event) appended so is not written at once:
 * it rides with the next write, a caller's or the writer thread's, which comes within 50 ms (the
 * writer thread's longest wait; {@link #LAZY_MILLIS} when it knows of the record). A statement's
 * path then makes one {@code write} for its outcome and the next statement's decision, not two.
 * Such a record is lost in a process crash only while it waits, as a queued one is (ADR 0004,
 * decision 11); nobody was told it was written.
 */
public final class LocalLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalLog.class);
  private static final int MAX_BATCH = 2_000;
  private static final int MAX_RETAINED = 10_000;
  private static final int MAX_LAZY = 256;
  static final long LAZY_MILLIS = 10;

  /** Computes a record's chain hash (the HMAC of ADR 0004, decision 2). */
  public interface Hasher {
    String hash(long seq, String prevHash, UUID id, String kind, long atMicros, String body);

    /** The same, given the body's UTF-8 bytes as well (encoded once for the hash and the frame). */
    default String hash(
        long seq, String prevHash, UUID id, String kind, long atMicros, String body, byte[] utf8) {
      return hash(seq, prevHash, id, kind, atMicros, body);
    }
  }

  /** Where the log stands: the last record written and where the active segment ends. */
  public record Written(long seq, long segmentFirstSeq, long end, long bytes) {}

  /** The chain head a log continues from. */
  public record Head(long seq, String hash) {}

  private record Pending(
      UUID id,
      String kind,
      long atMicros,
      String body,
      boolean awaited,
      CompletableFuture<LogRecord> done) {}

  private final Path dir;
  private final Hasher hasher;
  private final LogOptions options;
  private final FileLock lock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(200_000);
  private final ArrayDeque<Pending> retained = new ArrayDeque<>();

  /** Records nobody waits for, written with the next write; guarded by {@link #writing}. */
  private final List<Pending> lazy = new ArrayList<>();

  private volatile long lazySince = -1;
  private volatile int lazyCount;
  private final Thread thread;
  private final Object changed = new Object();
  private final java.util.concurrent.locks.ReentrantLock writing =
      new java.util.concurrent.locks.ReentrantLock();
  private final java.util.concurrent.atomic.AtomicInteger queued =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean backOff;
  private volatile boolean running = true;
  private volatile Written written;
  private volatile IOException failure;
  private FileChannel channel;
  private long segmentFirstSeq;
  private long position;
  private long headSeq;
  private String headHash;
  private long bytes;
  private volatile long dirtySince = -1;

  /** The largest write buffer kept between writes; a larger batch gets one of its own. */
  private static final int KEPT_BUFFER = 1024 * 1024;

  /** The frames of a write; guarded by {@link #writing}. */
  private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

  private LocalLog(
      Path dir, Hasher hasher, LogOptions options, FileLock lock, Head head, long bytes)
      throws IOException {
    this.dir = dir;
    this.hasher = hasher;
    this.options = options;
    this.lock = lock;
    this.headSeq = head.seq();
    this.headHash = head.hash();
    this.bytes = bytes;
    openSegment(headSeq + 1);
    this.thread = Thread.ofPlatform().name("gatehouse-audit-log").daemon(true).unstarted(this::run);
    thread.start();
  }

  /**
   * Opens (creating it if needed) the log in {@code dir} for chain {@code instanceId}: takes its
   * lock, cuts a torn tail off the last segment and continues the chain from the last whole record,
   * or from {@code initial} when the directory holds no record.
   */
  public static LocalLog open(
      Path dir, String instanceId, Hasher hasher, LogOptions options, Head initial)
      throws IOException {
    Files.createDirectories(dir);
    FileLock lock = SegmentFiles.lock(dir);
    try {
      SegmentFiles.claim(dir, instanceId);
      SegmentFiles.Recovered r = SegmentFiles.recover(dir);
      Head head = r.lastSeq() == 0 ? null : new Head(r.lastSeq(), r.lastHash());
      long bytes = r.bytes();
      return new LocalLog(dir, hasher, options, lock, head == null ? initial : head, bytes);
    } catch (IOException | RuntimeException e) {
      lock.channel().close();
      throw e;
    }
  }

  /** Whether {@code dir} holds no record yet (a new log continues a chain from elsewhere). */
  public static boolean isEmpty(Path dir) throws IOException {
    for (SegmentFiles.Segment s : SegmentFiles.list(dir)) {
      if (Files.size(s.path()) > 0) {
        return false;
      }
    }
    return true;
  }

  public Path directory() {
    return dir;
  }

  /**
   * Queues a record. The future completes with the record once it is written (and forced, under
   * {@link Fsync#ALWAYS}); it fails when the log cannot be written.
   */
  public CompletableFuture<LogRecord> append(
      UUID id, String kind, long atMicros, String body, boolean awaited) {
    CompletableFuture<LogRecord> f = new CompletableFuture<>();
    Pending p = new Pending(id, kind, atMicros, body, awaited, f);
    if (options.fsync() != Fsync.ALWAYS && queued.get() == 0 && writing.tryLock()) {
      try {
        if (running && failure == null && queued.get() == 0 && retained.isEmpty()) {
          if (!awaited && lazy.size() < MAX_LAZY) {
            if (lazy.isEmpty()) {
              lazySince = System.nanoTime();
            }
            lazy.add(p);
            lazyCount = lazy.size();
            return f;
          }
          if (write(List.of(p), false)) {
            return f;
          }
        }
      } finally {
        writing.unlock();
      }
    }
    queued.incrementAndGet();
    if (!running) {
      queued.decrementAndGet();
      f.completeExceptionally(new IOException("the audit log is closed"));
    } else if (!queue.offer(p)) {
      queued.decrementAndGet();
      f.completeExceptionally(new IOException("the audit log queue is full"));
    }
    return f;
  }

  /**
   * Records appended but not written yet because nobody waits for them (they ride with the next
   * write): part of the shipping lag, since they are not in the trail either.
   */
  public int unwritten() {
    return lazyCount;
  }

  /** The last record written; readers never read past it. */
  public Written written() {
    return written;
  }

  /** The last write failure, or null once a write succeeds again. */
  public IOException failure() {
    return failure;
  }

  /** Waits up to {@code timeout} for a write past {@code seq}; for the shipper. */
  public void awaitPast(long seq, long timeoutMillis) throws InterruptedException {
    synchronized (changed) {
      if (written.seq() <= seq && running) {
        changed.wait(timeoutMillis);
      }
    }
  }

  /**
   * Deletes the segments whose records all have sequence numbers up to {@code seq} (they are
   * shipped), never the one being written.
   */
  public void deleteThrough(long seq) throws IOException {
    List<SegmentFiles.Segment> segments = SegmentFiles.list(dir);
    long active = written.segmentFirstSeq();
    for (int i = 0; i + 1 < segments.size(); i++) {
      SegmentFiles.Segment s = segments.get(i);
      long last = segments.get(i + 1).firstSeq() - 1;
      if (s.firstSeq() < active && last <= seq) {
        Files.deleteIfExists(s.path());
      }
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty() || !retained.isEmpty() || lazySince >= 0) {
      try {
        // Callers may write themselves (see the class comment), so a record can be dirty without
        // this thread having written it: it never sleeps past the interval, nor leaves a record
        // nobody waits for unwritten longer than LAZY_MILLIS.
        long wait = Math.min(50, Math.max(1, options.fsyncInterval().toMillis()));
        long since = dirtySince;
        if (since >= 0) {
          long due = since + options.fsyncInterval().toNanos() - System.nanoTime();
          wait = Math.max(0, TimeUnit.NANOSECONDS.toMillis(due));
        }
        long lazyFrom = lazySince;
        if (lazyFrom >= 0) {
          long due = lazyFrom + TimeUnit.MILLISECONDS.toNanos(LAZY_MILLIS) - System.nanoTime();
          wait = Math.min(wait, Math.max(0, TimeUnit.NANOSECONDS.toMillis(due)));
        }
        Pending first = queue.poll(wait, TimeUnit.MILLISECONDS);
        int fromQueue = 0;
        writing.lock();
        try {
          if (first != null) {
            batch.addAll(retained);
            retained.clear();
            batch.add(first);
            fromQueue = 1 + queue.drainTo(batch, MAX_BATCH);
          } else if (!retained.isEmpty()) {
            batch.addAll(retained);
            retained.clear();
          }
          if (!batch.isEmpty() || !lazy.isEmpty()) {
            write(batch, true); // the lazy records first
          }
        } finally {
          queued.addAndGet(-fromQueue); // written, or failed: either way no longer ahead of callers
          writing.unlock();
        }
        if (backOff) {
          backOff = false;
          Thread.sleep(20); // do not spin on a full disk
        }
        forceIfDue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException | Error e) {
        log.error("audit log writer failed on a batch of {} records", batch.size(), e);
        batch.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        batch.clear();
      }
      if (!running && failure != null) {
        break; // stopping while the disk refuses: what is retained stays unwritten
      }
    }
  }

  /**
   * Writes the lazy records and {@code batch} under {@link #writing}. False, with nothing changed,
   * when the segment is full and {@code mayRotate} is not set: closing a segment forces it, which
   * callers leave to the writer thread.
   */
  private boolean write(List<Pending> fresh, boolean mayRotate) {
    List<Pending> batch = fresh;
    if (!lazy.isEmpty()) {
      batch = new ArrayList<>(lazy.size() + fresh.size());
      batch.addAll(lazy);
      batch.addAll(fresh);
    }
    long seq = headSeq;
    String prev = headHash;
    List<LogRecord> records = new ArrayList<>(batch.size());
    // The frames go straight into the direct buffer kept for writing: no frame array per record, no
    // batch array, and no copy into a temporary direct buffer inside the channel's write.
    ByteBuffer buffer = out;
    buffer.clear();
    for (Pending p : batch) {
      seq++;
      byte[] body = p.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String hash = hasher.hash(seq, prev, p.id(), p.kind(), p.atMicros(), p.body(), body);
      LogRecord r = new LogRecord(seq, p.id(), p.kind(), p.atMicros(), p.body(), prev, hash);
      int frame = Frames.size(r, body);
      if (buffer.remaining() < frame) {
        buffer = grown(buffer, frame);
      }
      Frames.encode(buffer, r, body);
      records.add(r);
      prev = hash;
    }
    int size = buffer.position();
    buffer.flip();
    try {
      if (position > 0 && position + size > options.segmentBytes()) {
        if (!mayRotate) {
          return false;
        }
        closeSegment();
        openSegment(headSeq + 1);
      }
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      if (options.fsync() == Fsync.ALWAYS) {
        channel.force(false);
      } else if (options.fsync() == Fsync.INTERVAL && dirtySince < 0) {
        dirtySince = System.nanoTime();
      }
    } catch (IOException e) {
      clearLazy(); // failed with the batch, and retained with it
      onWriteFailure(batch, e, position - buffer.position());
      return true;
    }
    if (failure != null) {
      log.info("audit log `{}` can be written again", dir);
      failure = null;
    }
    headSeq = seq;
    headHash = prev;
    bytes += size;
    publish();
    clearLazy(); // after publishing: the lag counts them as unwritten, then as written
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(records.get(i));
    }
    return true;
  }

  /** {@code full} with its frames and room for {@code more} bytes; kept for writing if small. */
  private ByteBuffer grown(ByteBuffer full, int more) {
    int needed = full.position() + more;
    ByteBuffer bigger =
        needed <= KEPT_BUFFER
            ? ByteBuffer.allocateDirect(
                Math.min(KEPT_BUFFER, Math.max(needed, full.capacity() * 2)))
            : ByteBuffer.allocate(Math.max(needed, full.capacity() * 2));
    full.flip();
    bigger.put(full);
    if (bigger.isDirect()) {
      out = bigger;
    }
    return bigger;
  }

  private void clearLazy() {
    if (!lazy.isEmpty()) {
      lazy.clear();
      lazySince = -1;
      lazyCount = 0;
    }
  }

  /** Cuts what part of the batch reached the file, fails the callers, keeps the records. */
  private void onWriteFailure(List<Pending> batch, IOException e, long before) {
    if (failure == null) {
      log.error("audit log `{}` cannot be written, governed statements are refused: {}", dir, e);
    }
    failure = e;
    try {
      channel.truncate(before);
    } catch (IOException ignored) {
      // The next open cuts the torn frame by its CRC.
    }
    position = before;
    for (Pending p : batch) {
      p.done().completeExceptionally(e);
      if (retained.size() < MAX_RETAINED) {
        // Kept so the record (a refused attempt included) reaches the trail when space returns.
        retained.add(new Pending(p.id(), p.kind(), p.atMicros(), p.body(), false, done()));
      } else {
        log.error("audit record {} ({}) lost: the log is full and not writable", p.id(), p.kind());
      }
    }
    backOff = true; // the writer thread waits a little before it tries again
  }

  private static CompletableFuture<LogRecord> done() {
    return new CompletableFuture<>();
  }

  private void forceIfDue() {
    long since = dirtySince;
    if (since >= 0 && System.nanoTime() - since >= options.fsyncInterval().toNanos()) {
      // Forced outside the lock, so callers' writes never wait for the disk: what is written
      // before the force is covered by it, and a write after it marks the log dirty again.
      FileChannel forced;
      writing.lock();
      try {
        forced = channel;
        dirtySince = -1;
      } finally {
        writing.unlock();
      }
      try {
        forced.force(false);
      } catch (java.nio.channels.ClosedChannelException e) {
        // The segment was closed meanwhile, and closing forced it.
      } catch (IOException e) {
        log.error("cannot force the audit log `{}` to disk: {}", dir, e.getMessage());
      }
    }
  }

  private void openSegment(long firstSeq) throws IOException {
    Path path = SegmentFiles.path(dir, firstSeq);
    channel = options.opener().open(path);
    channel.truncate(0); // an empty segment left by a crash right after a roll
    segmentFirstSeq = firstSeq;
    position = 0;
    publish();
  }

  private void closeSegment() throws IOException {
    channel.force(true);
    channel.close();
    dirtySince = -1;
  }

  private void publish() {
    written = new Written(headSeq, segmentFirstSeq, position, bytes);
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** Writes what is queued, forces it and releases the directory. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writing.lock();
    try {
      closeSegment();
    } catch (IOException e) {
      log.error("cannot close the audit log `{}`: {}", dir, e.getMessage());
    } finally {
      writing.unlock();
    }
    try {
      lock.channel().close();
    } catch (IOException e) {
      log.warn("cannot release the audit log lock: {}", e.getMessage());
    }
    synchronized (changed) {
      changed.notifyAll();
    }
  }
}
