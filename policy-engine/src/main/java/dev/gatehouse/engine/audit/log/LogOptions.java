package dev.gatehouse.engine.audit.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/** The settings of a {@link LocalLog}. */
public record LogOptions(
    Fsync fsync, Duration fsyncInterval, long segmentBytes, LogOptions.Opener opener) {

  /** Opens a segment for writing; a test seam to simulate a full or read-only disk. */
  public interface Opener {
    FileChannel open(Path segment) throws IOException;
  }

  /** Segments of 64 MiB, opened as plain files. */
  public static LogOptions of(Fsync fsync, Duration interval) {
    return new LogOptions(
        fsync,
        interval,
        64L * 1024 * 1024,
        p -> FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
  }

  public LogOptions withSegmentBytes(long bytes) {
    return new LogOptions(fsync, fsyncInterval, bytes, opener);
  }

  public LogOptions withOpener(Opener o) {
    return new LogOptions(fsync, fsyncInterval, segmentBytes, o);
  }
}
