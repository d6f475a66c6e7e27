package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.LogRecord;
import dev.gatehouse.engine.audit.log.SegmentFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Measures a local audit log's lag from outside the gateway ({@code gatehouse audit lag}): the
 * records in its segments past the control database's chain head. Reads only; safe while the
 * gateway runs.
 */
public final class LogLag {

  private LogLag() {}

  public static AuditLag measure(DataSource control, String instanceId, Path directory)
      throws SQLException, IOException {
    long shipped = 0;
    try (Connection c = control.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT seq FROM audit_chain_head WHERE instance_id = ?")) {
      ps.setString(1, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          shipped = rs.getLong(1);
        }
      }
    }
    long records = 0;
    long bytes = 0;
    long oldestMicros = 0;
    for (SegmentFiles.Segment s : SegmentFiles.list(directory)) {
      for (LogRecord r : SegmentFiles.scan(s.path()).records()) {
        if (r.seq() > shipped) {
          records++;
          bytes += SegmentFiles.frameSize(r);
          oldestMicros = oldestMicros == 0 ? r.atMicros() : oldestMicros;
        }
      }
    }
    double seconds =
        records == 0 ? 0 : Math.max(0, ChainHasher.micros(Instant.now()) - oldestMicros) / 1e6;
    return new AuditLag(records, seconds, bytes);
  }
}
