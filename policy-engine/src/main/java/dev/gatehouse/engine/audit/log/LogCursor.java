package dev.gatehouse.engine.audit.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a local audit log in order, never past what the writer has published; the shipper's view of
 * the log. Segments written by an earlier run are read whole.
 */
public final class LogCursor {

  private static final int CHUNK = 4 * 1024 * 1024;
  private ByteBuffer buffer;

  /** The segment whose bytes from {@code heldStart} the buffer holds, up to its limit; or null. */
  private Path held;

  private long heldStart;

  private final Path dir;
  private long nextSeq;
  private SegmentFiles.Segment segment;
  private long position;
  private long bytesRead;
  private Path finished;

  /** A cursor at the first record after {@code afterSeq}. */
  public LogCursor(Path dir, long afterSeq) {
    this.dir = dir;
    this.nextSeq = afterSeq + 1;
  }

  /** Bytes of the frames read (those skipped as already shipped included). */
  public long bytesRead() {
    return bytesRead;
  }

  /** Up to {@code max} records after the last one read, none past {@code upTo}. */
  public List<LogRecord> read(int max, LocalLog.Written upTo) throws IOException {
    List<LogRecord> out = new ArrayList<>();
    while (out.size() < max && nextSeq <= upTo.seq()) {
      if (segment == null && !locate()) {
        break;
      }
      boolean active = segment.firstSeq() == upTo.segmentFirstSeq();
      if (!active && !Files.exists(segment.path())) {
        // Read to its end and shipped, then deleted: the next segment begins at nextSeq.
        finished = segment.path();
        segment = null;
        continue;
      }
      try (FileChannel ch = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
        long limit = active ? upTo.end() : ch.size();
        int before = out.size();
        long from = position;
        readFrames(ch, limit, max, out);
        if (out.size() == before && position >= limit && !active) {
          finished = segment.path();
          segment = null; // this one is done; the next begins at nextSeq
          continue;
        }
        // Damage is a frame that cannot be read, not a chunk of frames all shipped already: a new
        // cursor (a restart, or the shipper after a failover) skips those a chunk at a time.
        if (position == from && position < limit) {
          throw new IOException(
              "audit log segment `" + segment.path() + "` is damaged at byte " + position);
        }
      }
    }
    return out;
  }

  private void readFrames(FileChannel ch, long limit, int max, List<LogRecord> out)
      throws IOException {
    if (limit - position <= 0) {
      return;
    }
    if (holds(position)) {
      // Bytes read before and not decoded yet (the batch was full): decode them, not read them
      // again (issue 15's profile: a 4 MiB read per batch of a few hundred records was a fifth of
      // the shipper's time, copying).
      buffer.position((int) (position - heldStart));
      if (decode(buffer, max, out) > 0) {
        return;
      }
      // What was left did not hold a whole frame: read on from the file.
    }
    decode(fill(ch, limit), max, out);
  }

  /** True when the buffer holds this segment's bytes at {@code at}. */
  private boolean holds(long at) {
    return held != null
        && held.equals(segment.path())
        && at >= heldStart
        && at < heldStart + buffer.limit();
  }

  /** Reads the segment from {@code position} on, up to a chunk (or one larger frame). */
  private ByteBuffer fill(FileChannel ch, long limit) throws IOException {
    int length = (int) Math.min(CHUNK, limit - position);
    ByteBuffer b = buffer(length);
    read(ch, b);
    held = segment.path();
    heldStart = position;
    if (b.remaining() >= Frames.HEADER && b.getInt(0) + Frames.HEADER > length) {
      int frame = b.getInt(0) + Frames.HEADER; // a frame larger than a chunk
      if (frame <= limit - position && frame <= Frames.MAX_PAYLOAD + Frames.HEADER) {
        held = null; // read once, not kept
        b = ByteBuffer.allocate(frame);
        read(ch, b);
      }
    }
    return b;
  }

  private void read(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining() && ch.read(b, position + b.position()) > 0) {
      // fill
    }
    b.flip();
  }

  /** Decodes frames from the buffer's position, at most until {@code out} holds {@code max}. */
  private int decode(ByteBuffer b, int max, List<LogRecord> out) throws IOException {
    int decoded = 0;
    while (out.size() < max) {
      int start = b.position();
      LogRecord r = Frames.decode(b);
      if (r == null) {
        break;
      }
      decoded++;
      position += b.position() - start;
      bytesRead += b.position() - start;
      if (r.seq() >= nextSeq) {
        if (r.seq() != nextSeq) {
          throw new IOException(
              "audit log `"
                  + dir
                  + "`: records "
                  + nextSeq
                  + ".."
                  + (r.seq() - 1)
                  + " are missing");
        }
        out.add(r);
        nextSeq++;
      }
    }
    return decoded;
  }

  /**
   * This cursor's read buffer, cleared, with room for {@code length} bytes. One buffer is kept and
   * grown, not one allocated per read: a read is often more than half a G1 region, and each such
   * (humongous) allocation started a concurrent GC cycle (issue 15's profile: the collector's
   * marking thread used a fifth of a core under pgbench at one client). It is a direct buffer, so a
   * read lands in it without a copy through a temporary one.
   */
  private ByteBuffer buffer(int length) {
    if (buffer == null || buffer.capacity() < length) {
      buffer = ByteBuffer.allocateDirect(Math.max(length, 64 * 1024));
    }
    buffer.clear().limit(length);
    return buffer;
  }

  /** Finds the segment holding {@code nextSeq}: the last one that starts at or before it. */
  private boolean locate() throws IOException {
    SegmentFiles.Segment found = null;
    for (SegmentFiles.Segment s : SegmentFiles.list(dir)) {
      if (s.firstSeq() <= nextSeq) {
        found = s;
      }
    }
    if (found == null) {
      return false;
    }
    if (segment == null && found.path().equals(finished)) {
      throw new IOException(
          "audit log `" + dir + "`: record " + nextSeq + " is missing after `" + finished + "`");
    }
    if (finished == null && segment == null && bytesRead == 0) {
      // The first look: older segments still on disk are shipped and count as read.
      for (SegmentFiles.Segment s : SegmentFiles.list(dir)) {
        if (s.firstSeq() < found.firstSeq()) {
          bytesRead += Files.size(s.path());
        }
      }
    }
    segment = found;
    position = 0;
    return true;
  }
}
