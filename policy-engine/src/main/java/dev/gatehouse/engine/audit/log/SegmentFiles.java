package dev.gatehouse.engine.audit.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Names, lists, scans and locks the segment files of one local audit log directory. */
public final class SegmentFiles {

  private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.log");

  /** A segment file and the sequence number its first record has (or would have). */
  public record Segment(long firstSeq, Path path) {}

  /** What a scan of one segment found: its whole records and where the last one ends. */
  public record Scan(List<LogRecord> records, long validEnd, long size) {}

  /** What a log directory holds at open: its last whole record and its size. */
  record Recovered(long lastSeq, String lastHash, long bytes) {}

  private SegmentFiles() {}

  /**
   * Cuts a torn tail off the newest segment that has one (a crash in the middle of a write) and
   * finds the last whole record; lastSeq 0 when there is none.
   */
  static Recovered recover(Path dir) throws IOException {
    List<Segment> segments = list(dir);
    LogRecord last = null;
    for (int i = segments.size() - 1; i >= 0 && last == null; i--) {
      Segment s = segments.get(i);
      Scan scan = scan(s.path());
      if (scan.validEnd() < scan.size()) {
        org.slf4j.LoggerFactory.getLogger(SegmentFiles.class)
            .warn(
                "audit log segment `{}`: cut a torn tail of {} bytes after {} whole records",
                s.path(),
                scan.size() - scan.validEnd(),
                scan.records().size());
        try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.WRITE)) {
          ch.truncate(scan.validEnd());
          ch.force(true);
        }
      }
      if (!scan.records().isEmpty()) {
        last = scan.records().getLast();
      }
    }
    long bytes = 0;
    for (Segment s : list(dir)) {
      bytes += Files.size(s.path());
    }
    return last == null
        ? new Recovered(0, null, bytes)
        : new Recovered(last.seq(), last.hash(), bytes);
  }

  /** The bytes a record takes in a segment. */
  public static int frameSize(LogRecord r) {
    return Frames.encode(r).length;
  }

  static Path path(Path dir, long firstSeq) {
    return dir.resolve(String.format("segment-%020d.log", firstSeq));
  }

  /** The segments of {@code dir}, oldest first; none when the directory does not exist. */
  public static List<Segment> list(Path dir) throws IOException {
    List<Segment> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          p -> {
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (m.matches()) {
              out.add(new Segment(Long.parseLong(m.group(1)), p));
            }
          });
    }
    out.sort(java.util.Comparator.comparingLong(Segment::firstSeq));
    return out;
  }

  /** Reads every whole, intact record of a segment; stops at the first torn or damaged frame. */
  public static Scan scan(Path segment) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException("audit log segment `" + segment + "` is larger than 2 GiB");
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // read it all
      }
      b.flip();
      List<LogRecord> records = new ArrayList<>();
      LogRecord r;
      while ((r = Frames.decode(b)) != null) {
        records.add(r);
      }
      return new Scan(records, b.position(), size);
    }
  }

  /**
   * Takes the directory's lock file for this process; fails with a clear message while another live
   * process (or another log in this one) holds it. The OS releases it when the process dies.
   */
  static FileLock lock(Path dir) throws IOException {
    Path lockFile = dir.resolve("lock");
    FileChannel ch =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IllegalStateException(
          "audit log directory `"
              + dir
              + "` is in use by another running gateway (it holds `"
              + lockFile
              + "`); give each instance its own directory");
    }
    return lock;
  }

  /** Checks that {@code dir} belongs to chain {@code instanceId}, claiming it when new. */
  static void claim(Path dir, String instanceId) throws IOException {
    Path file = dir.resolve("instance");
    if (Files.exists(file)) {
      String owner = Files.readString(file).strip();
      if (!owner.equals(instanceId)) {
        throw new IllegalStateException(
            "audit log directory `"
                + dir
                + "` holds chain `"
                + owner
                + "`, not `"
                + instanceId
                + "`; give each instance its own directory");
      }
    } else {
      Files.writeString(file, instanceId + "\n");
    }
  }
}
