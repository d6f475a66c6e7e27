package dev.gatehouse.engine.audit.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Rewrites local audit log segments the way someone with file access could (valid CRCs). */
public final class LogTamper {

  private LogTamper() {}

  /** Replaces each record by what {@code change} returns; null deletes it. */
  public static void rewrite(Path dir, UnaryOperator<LogRecord> change) throws IOException {
    for (SegmentFiles.Segment s : SegmentFiles.list(dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (LogRecord r : SegmentFiles.scan(s.path()).records()) {
        LogRecord changed = change.apply(r);
        if (changed != null) {
          out.write(Frames.encode(changed));
        }
      }
      Files.write(s.path(), out.toByteArray());
    }
  }
}
