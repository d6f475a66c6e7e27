package dev.gatehouse.engine.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLogTest {

  private static final String GENESIS = "0".repeat(64);
  // A stand-in hash: what matters here is that the log chains what the hasher returns.
  private static final LocalLog.Hasher HASHER =
      (seq, prev, id, kind, at, body) ->
          String.format("%064x", (prev + seq + id + kind + at + body).hashCode() & 0xffffffffL);

  @TempDir Path dir;

  private LocalLog open(LogOptions options) throws IOException {
    return LocalLog.open(dir, "gw-1", HASHER, options, new LocalLog.Head(0, GENESIS));
  }

  private static LogOptions options() {
    return LogOptions.of(Fsync.INTERVAL, Duration.ofMillis(50));
  }

  private static List<LogRecord> append(LocalLog log, int n) {
    List<CompletableFuture<LogRecord>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(log.append(UUID.randomUUID(), "STATEMENT", 1_000_000L + i, "{\"n\":" + i + "}", true));
    }
    return fs.stream().map(CompletableFuture::join).toList();
  }

  private List<LogRecord> all() throws IOException {
    List<LogRecord> out = new ArrayList<>();
    for (SegmentFiles.Segment s : SegmentFiles.list(dir)) {
      out.addAll(SegmentFiles.scan(s.path()).records());
    }
    return out;
  }

  @Test
  void appendsAChainWithGapFreeSequenceNumbersAcrossSegmentsAndRestarts() throws Exception {
    try (LocalLog log = open(options().withSegmentBytes(2_000))) {
      List<LogRecord> written = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        written.addAll(append(log, 1)); // one batch each, so segments roll between them
      }
      assertThat(written.getFirst().seq()).isEqualTo(1);
      assertThat(written.getFirst().prevHash()).isEqualTo(GENESIS);
      assertThat(log.written().seq()).isEqualTo(100);
    }
    assertThat(SegmentFiles.list(dir)).hasSizeGreaterThan(3);
    try (LocalLog log = open(options())) {
      append(log, 10);
    }
    List<LogRecord> records = all();
    assertThat(records).hasSize(110);
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      assertThat(r.seq()).isEqualTo(i + 1);
      assertThat(r.prevHash()).isEqualTo(i == 0 ? GENESIS : records.get(i - 1).hash());
      assertThat(r.hash())
          .isEqualTo(HASHER.hash(r.seq(), r.prevHash(), r.id(), r.kind(), r.atMicros(), r.body()));
    }
  }

  @Test
  void recordsOfEverySizeInOneWriteAreStoredWholeAndReadBackByACursor() throws Exception {
    // One batch of small and large bodies: past the write buffer kept between writes (1 MiB) and
    // past a cursor's chunk (4 MiB), in and out of UTF-8's ASCII range.
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bodies.add("{\"n\":" + i + ",\"s\":\"" + "é✓x".repeat(i % 7 == 0 ? 800_000 : 10) + "\"}");
    }
    List<CompletableFuture<LogRecord>> fs = new ArrayList<>();
    try (LocalLog log = open(options())) {
      for (int i = 0; i < bodies.size(); i++) {
        // not awaited, so they queue and go in few writes
        fs.add(log.append(UUID.randomUUID(), "STATEMENT", 1_000L + i, bodies.get(i), i == 39));
      }
      fs.getLast().join();
      LogCursor cursor = new LogCursor(dir, 0);
      List<LogRecord> read = new ArrayList<>();
      while (read.size() < bodies.size()) {
        List<LogRecord> some = cursor.read(3, log.written());
        assertThat(some).isNotEmpty();
        read.addAll(some);
      }
      for (int i = 0; i < bodies.size(); i++) {
        assertThat(read.get(i).seq()).isEqualTo(i + 1);
        assertThat(read.get(i).body()).isEqualTo(bodies.get(i));
        assertThat(read.get(i).bodyUtf8())
            .isEqualTo(bodies.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    assertThat(all()).extracting(LogRecord::body).containsExactlyElementsOf(bodies);
  }

  @Test
  void aTornTailIsCutAtOpenAndTheChainContinuesFromTheLastWholeRecord() throws Exception {
    try (LocalLog log = open(options())) {
      append(log, 20);
    }
    Path last = SegmentFiles.list(dir).getLast().path();
    long size = Files.size(last);
    // A crash in the middle of a write: the last frame is cut short.
    try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
      ch.truncate(size - 7);
    }
    LogRecord nineteenth = all().getLast();
    assertThat(nineteenth.seq()).isEqualTo(19);
    try (LocalLog log = open(options())) {
      LogRecord next = append(log, 1).getFirst();
      assertThat(next.seq()).isEqualTo(20);
      assertThat(next.prevHash()).isEqualTo(nineteenth.hash());
    }
    assertThat(all()).extracting(LogRecord::seq).containsExactlyElementsOf(range(1, 20));
  }

  @Test
  void aDamagedFrameIsNotReadAsARecord() throws Exception {
    try (LocalLog log = open(options())) {
      append(log, 5);
    }
    Path last = SegmentFiles.list(dir).getLast().path();
    byte[] bytes = Files.readAllBytes(last);
    bytes[bytes.length - 3] ^= 0x55; // flips bits in the last record's body
    Files.write(last, bytes);
    assertThat(all()).hasSize(4);
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
    try (LocalLog log = open(options())) {
      assertThatThrownBy(() -> open(options()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is in use by another running gateway");
    }
    assertThatThrownBy(
            () ->
                LocalLog.open(dir, "gw-2", HASHER, options(), new LocalLog.Head(0, GENESIS))
                    .close())
        .hasMessageContaining("holds chain `gw-1`, not `gw-2`");
  }

  @Test
  void aDiskThatRefusesWritesFailsCallersAndKeepsTheirRecordsForWhenSpaceReturns()
      throws Exception {
    // The seam: a real file channel whose writes fail like a full disk while `full` is set.
    AtomicBoolean full = new AtomicBoolean();
    LogOptions options = failingWhile(full);
    try (LocalLog log = open(options)) {
      append(log, 3);
      full.set(true);
      CompletableFuture<LogRecord> refused =
          log.append(UUID.randomUUID(), "STATEMENT", 5L, "{\"refused\":true}", true);
      assertThatThrownBy(refused::join)
          .isInstanceOf(CompletionException.class)
          .hasRootCauseMessage("No space left on device");
      assertThat(log.failure()).isNotNull();
      full.set(false);
      LogRecord after = append(log, 1).getFirst();
      assertThat(log.failure()).isNull();
      // The refused attempt is on record, before the next one; nothing in between is torn.
      assertThat(after.seq()).isEqualTo(5);
    }
    List<LogRecord> records = all();
    assertThat(records).extracting(LogRecord::seq).containsExactlyElementsOf(range(1, 5));
    assertThat(records.get(3).body()).isEqualTo("{\"refused\":true}");
  }

  /** About 6 MiB in one segment: more than one of the 4 MiB chunks a cursor reads at a time. */
  private static void appendPadded(LocalLog log, int n) {
    String body = "{\"p\":\"" + "x".repeat(1_000) + "\"}";
    List<CompletableFuture<LogRecord>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(log.append(UUID.randomUUID(), "STATEMENT", 1_000_000L + i, body, true));
    }
    fs.forEach(CompletableFuture::join);
  }

  @Test
  void aNewCursorWhoseNextRecordLiesPastTheFirstChunkOfASegmentReadsOn() throws Exception {
    try (LocalLog log = open(options())) {
      appendPadded(log, 6_000);
      assertThat(SegmentFiles.list(dir)).hasSize(1);
      // The shipper after a failover (or a restart): a new cursor at the control database's
      // head, more than 4 MiB into the segment; the frames before it are skipped, not damage.
      LogCursor cursor = new LogCursor(dir, 5_000);
      assertThat(cursor.read(2_000, log.written()))
          .extracting(LogRecord::seq)
          .containsExactlyElementsOf(range(5_001, 6_000));
      assertThat(cursor.bytesRead()).isEqualTo(log.written().end());
    }
  }

  @Test
  void aCursorStillReportsADamagedFramePastTheFirstChunk() throws Exception {
    LocalLog.Written written;
    try (LocalLog log = open(options())) {
      appendPadded(log, 6_000);
      written = log.written();
    }
    Path segment = SegmentFiles.list(dir).getFirst().path();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 100 * 1_100] ^= 0x55; // a record about 100 from the end
    Files.write(segment, bytes);
    LogCursor cursor = new LogCursor(dir, 5_000);
    assertThatThrownBy(() -> cursor.read(2_000, written))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is damaged at byte");
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void aRecordAppendedWhileNothingIsQueuedIsWrittenByItsCallerAndForcedWithinTheInterval()
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger forced =
        new java.util.concurrent.atomic.AtomicInteger();
    LogOptions options =
        LogOptions.of(Fsync.INTERVAL, Duration.ofMillis(200))
            .withOpener(
                p ->
                    new FailingChannel(
                        FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        new AtomicBoolean()) {
                      @Override
                      public void force(boolean metaData) throws IOException {
                        forced.incrementAndGet();
                        super.force(metaData);
                      }
                    });
    try (LocalLog log = open(options)) {
      CompletableFuture<LogRecord> f =
          log.append(UUID.randomUUID(), "STATEMENT", 1L, "{\"caller\":true}", true);
      // Written on this thread: done when append returns, with no hop to the writer thread.
      assertThat(f).isCompleted();
      assertThat(log.written().seq()).isEqualTo(1);
      assertThat(forced).hasValue(0);
      long start = System.nanoTime();
      dev.gatehouse.testkit.Eventually.await(
          "the log forced", Duration.ofSeconds(5), () -> forced.get() > 0);
      // Forced by the writer thread within the interval (and its wake-up), not at close.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void underAlwaysEveryRecordWaitsForTheGroupCommit() throws Exception {
    try (LocalLog log = open(LogOptions.of(Fsync.ALWAYS, Duration.ofMillis(50)))) {
      assertThat(append(log, 5)).extracting(LogRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void callersAndTheWriterThreadKeepOneGapFreeChainInAppendOrderPerCaller() throws Exception {
    int threads = 8;
    int each = 500;
    try (LocalLog log = open(options().withSegmentBytes(20_000))) {
      List<Thread> workers = new ArrayList<>();
      List<List<LogRecord>> byThread = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        workers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      List<CompletableFuture<LogRecord>> fs = new ArrayList<>();
                      for (int i = 0; i < each; i++) {
                        // A decision (awaited), then its outcome (nobody waits), in turn.
                        boolean decision = i % 2 == 0;
                        fs.add(
                            log.append(
                                UUID.randomUUID(),
                                decision ? "STATEMENT" : "OUTCOME",
                                i,
                                "{\"t\":" + id + "}",
                                decision));
                      }
                      byThread.add(fs.stream().map(CompletableFuture::join).toList());
                    }));
      }
      for (Thread w : workers) {
        w.join();
      }
      // Each caller's records are in the order it appended them (an outcome never precedes its
      // decision), whichever thread wrote them.
      for (List<LogRecord> mine : byThread) {
        for (int i = 1; i < mine.size(); i++) {
          assertThat(mine.get(i).seq()).isGreaterThan(mine.get(i - 1).seq());
        }
      }
    }
    List<LogRecord> records = all();
    assertThat(records).hasSize(threads * each);
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      assertThat(r.seq()).isEqualTo(i + 1);
      assertThat(r.prevHash()).isEqualTo(i == 0 ? GENESIS : records.get(i - 1).hash());
    }
  }

  /** Real segment files whose writes fail like a full disk while {@code full} is set. */
  private static LogOptions failingWhile(AtomicBoolean full) {
    return options()
        .withOpener(
            p ->
                new FailingChannel(
                    FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    full));
  }

  /** A real channel that counts its writes. */
  private static LogOptions counting(java.util.concurrent.atomic.AtomicInteger writes) {
    return options()
        .withOpener(
            p ->
                new FailingChannel(
                    FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    new AtomicBoolean()) {
                  @Override
                  public int write(java.nio.ByteBuffer src, long position) throws IOException {
                    writes.incrementAndGet();
                    return super.write(src, position);
                  }
                });
  }

  @Test
  void aRecordNobodyWaitsForRidesWithTheNextWriteInAppendOrder() throws Exception {
    // The writer thread may wake between the two appends and write the outcome alone (it does so
    // within 50 ms); that attempt shows nothing, so it is tried again in a new directory.
    for (int attempt = 0; attempt < 5; attempt++) {
      Path here = dir.resolve("attempt-" + attempt);
      java.util.concurrent.atomic.AtomicInteger writes =
          new java.util.concurrent.atomic.AtomicInteger();
      try (LocalLog log =
          LocalLog.open(here, "gw-1", HASHER, counting(writes), new LocalLog.Head(0, GENESIS))) {
        CompletableFuture<LogRecord> outcome =
            log.append(UUID.randomUUID(), "OUTCOME", 1L, "{\"outcome\":1}", false);
        if (writes.get() != 0) {
          continue;
        }
        assertThat(log.unwritten()).as("counted in the shipping lag meanwhile").isEqualTo(1);
        CompletableFuture<LogRecord> decision =
            log.append(UUID.randomUUID(), "STATEMENT", 2L, "{\"decision\":2}", true);
        if (writes.get() != 1 || !decision.isDone()) {
          continue;
        }
        // The decision is written on this thread, with the outcome ahead of it, in one write.
        assertThat(outcome).isCompleted();
        assertThat(outcome.join().seq()).isEqualTo(1);
        assertThat(decision.join().seq()).isEqualTo(2);
        assertThat(decision.join().prevHash()).isEqualTo(outcome.join().hash());
        assertThat(log.unwritten()).isZero();
      }
      List<LogRecord> records = new ArrayList<>();
      for (SegmentFiles.Segment s : SegmentFiles.list(here)) {
        records.addAll(SegmentFiles.scan(s.path()).records());
      }
      assertThat(records).extracting(LogRecord::kind).containsExactly("OUTCOME", "STATEMENT");
      return;
    }
    throw new AssertionError("the outcome never rode with the decision's write in 5 attempts");
  }

  @Test
  void aRecordNobodyWaitsForIsWrittenByTheWriterThreadWhenNoWriteFollows() throws Exception {
    try (LocalLog log = open(options())) {
      CompletableFuture<LogRecord> outcome =
          log.append(UUID.randomUUID(), "OUTCOME", 1L, "{\"alone\":true}", false);
      long start = System.nanoTime();
      assertThat(outcome.get(5, java.util.concurrent.TimeUnit.SECONDS).seq()).isEqualTo(1);
      // The writer thread's longest wait is 50 ms; a busy machine may add to it, not seconds.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(log.written().seq()).isEqualTo(1);
    }
  }

  @Test
  void closingWritesTheRecordsNobodyWaitsFor() throws Exception {
    List<CompletableFuture<LogRecord>> outcomes = new ArrayList<>();
    try (LocalLog log = open(options())) {
      for (int i = 0; i < 3; i++) {
        outcomes.add(log.append(UUID.randomUUID(), "OUTCOME", i, "{\"i\":" + i + "}", false));
      }
    }
    assertThat(outcomes).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(all()).extracting(LogRecord::seq).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aRecordNobodyWaitsForFailsWithTheWriteItRodeWithAndIsKeptForWhenSpaceReturns()
      throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    LogOptions options = failingWhile(full);
    try (LocalLog log = open(options)) {
      CompletableFuture<LogRecord> outcome =
          log.append(UUID.randomUUID(), "OUTCOME", 1L, "{\"outcome\":1}", false);
      full.set(true);
      CompletableFuture<LogRecord> refused =
          log.append(UUID.randomUUID(), "STATEMENT", 2L, "{\"refused\":true}", true);
      assertThatThrownBy(refused::join).hasRootCauseMessage("No space left on device");
      assertThatThrownBy(outcome::join).hasRootCauseMessage("No space left on device");
      full.set(false);
      LogRecord after = append(log, 1).getFirst();
      assertThat(after.seq()).isEqualTo(3);
    }
    assertThat(all())
        .extracting(LogRecord::body)
        .containsExactly("{\"outcome\":1}", "{\"refused\":true}", "{\"n\":0}");
  }
}
