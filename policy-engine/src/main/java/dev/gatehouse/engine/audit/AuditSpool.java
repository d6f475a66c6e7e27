package dev.gatehouse.engine.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * The local write-ahead spool: every batch is appended here before its transaction, and the file is
 * emptied once everything in it is committed. Whatever it still holds at start (the control
 * database was down, or the gateway stopped mid-batch) is replayed. See ADR 0004.
 */
final class AuditSpool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditSpool.class);
  private static final String FILE = "audit-spool.jsonl";

  private final Path file;
  private final FileChannel channel;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private AuditSpool(Path file, FileChannel channel, FileChannel lockChannel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens the spool in {@code directory}, which only one gateway instance may use at a time. */
  static AuditSpool open(Path directory) {
    try {
      Files.createDirectories(directory);
      FileChannel lockChannel =
          FileChannel.open(
              directory.resolve("audit-spool.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        lockChannel.close();
        throw new IllegalStateException(
            "audit spool directory `" + directory + "` is in use by another gateway instance");
      }
      Path file = directory.resolve(FILE);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      endTornLine(file, channel);
      return new AuditSpool(file, channel, lockChannel, lock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open audit spool directory `" + directory + "`", e);
    }
  }

  /**
   * A crash in the middle of a write leaves a line without its newline; end it, so the next record
   * starts on a line of its own instead of being glued to (and skipped with) the torn one.
   */
  private static void endTornLine(Path file, FileChannel append) throws IOException {
    long size = append.size();
    if (size == 0) {
      return;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
      read.read(last, size - 1);
    }
    if (last.get(0) != '\n') {
      append.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
  }

  /**
   * Appends records in one write, one line each: id, kind, time and body separated by tabs. Bodies
   * are compact JSON, which never holds a raw tab or newline, so they need no escaping.
   */
  void append(List<AuditRecord> records) throws IOException {
    StringBuilder sb = new StringBuilder(records.size() * 1024);
    for (AuditRecord r : records) {
      sb.append(r.id())
          .append('\t')
          .append(r.kind().name())
          .append('\t')
          .append(ChainHasher.micros(r.at()))
          .append('\t')
          .append(r.body())
          .append('\n');
    }
    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    long before = channel.size();
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    } catch (IOException e) {
      // A full disk can take part of a write: cut it off, or the next append, once there is room,
      // would be glued to a torn line and skipped with it.
      try {
        channel.truncate(before);
      } catch (IOException ignored) {
        // The next open ends the torn line, and a replay skips it; the records are kept anyway.
      }
      throw e;
    }
  }

  /** Forces spooled records to disk, so they survive a crash of the machine too. */
  void force() throws IOException {
    channel.force(false);
  }

  /** Bytes in the spool file. */
  long size() throws IOException {
    return channel.size();
  }

  boolean isEmpty() throws IOException {
    return channel.size() == 0;
  }

  /**
   * Reads the spooled records in order, in chunks; a torn last line (crash mid-write) is skipped.
   */
  void read(int chunkSize, Consumer<List<AuditRecord>> consumer) throws IOException {
    List<AuditRecord> chunk = new ArrayList<>(chunkSize);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          chunk.add(parse(line));
        } catch (JacksonException | IllegalArgumentException e) {
          log.warn("skipping unreadable line {} of audit spool {}: {}", number, file, e.toString());
          continue;
        }
        if (chunk.size() == chunkSize) {
          consumer.accept(List.copyOf(chunk));
          chunk.clear();
        }
      }
    }
    if (!chunk.isEmpty()) {
      consumer.accept(List.copyOf(chunk));
    }
  }

  /** Empties the spool once everything in it is committed. */
  void clear() throws IOException {
    channel.truncate(0);
  }

  private static AuditRecord parse(String line) {
    String[] f = line.split("\t", 4);
    if (f.length != 4) {
      throw new IllegalArgumentException("expected 4 fields, got " + f.length);
    }
    // A torn line ends inside its body; only a complete JSON document is accepted.
    RecordBodies.JSON.readTree(f[3]);
    long micros = Long.parseLong(f[2]);
    return new AuditRecord(
        UUID.fromString(f[0]),
        RecordKind.valueOf(f[1]),
        Instant.EPOCH.plusNanos(micros * 1_000),
        f[3]);
  }

  @Override
  public void close() {
    try {
      channel.close();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("could not close audit spool {}", file, e);
    }
  }
}
