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

  private SegmentFiles() {}

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
