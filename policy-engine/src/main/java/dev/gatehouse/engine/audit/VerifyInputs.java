package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.LogRecord;
import dev.gatehouse.engine.audit.log.SegmentFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@link AuditVerifier} reads besides the records: floors, search columns, local logs. */
final class VerifyInputs {

  /** Where a chain starts after retention; {@code macOk} false when the row was changed. */
  record Floor(long seq, String prevHash, boolean macOk) {}

  /** A local audit log not yet (wholly) shipped: its chain and its records, oldest first. */
  record Local(String instanceId, List<LogRecord> records) {}

  private VerifyInputs() {}

  static Map<String, Floor> floors(Connection c, AuditKey key) throws SQLException {
    Map<String, Floor> floors = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT instance_id, seq, prev_hash, mac FROM audit_chain_floor");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String id = rs.getString(1);
        long seq = rs.getLong(2);
        String prev = rs.getString(3);
        boolean ok = ChainHasher.sameHex(ChainHasher.floorMac(key, id, seq, prev), rs.getString(4));
        floors.put(id, new Floor(seq, prev, ok));
      }
    }
    return floors;
  }

  /**
   * Per chain, the sequence numbers of rows whose indexed search columns do not say what their
   * hashed body says (changed to hide a record from searches).
   */
  static Map<String, java.util.Set<Long>> columnMismatches(Connection c) throws SQLException {
    Map<String, java.util.Set<Long>> out = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT instance_id, seq FROM audit_entry WHERE"
                    + " subject IS DISTINCT FROM CASE WHEN kind = 'STATEMENT'"
                    + " THEN body::jsonb -> 'principal' ->> 'subject' END"
                    + " OR statement_id::text IS DISTINCT FROM CASE WHEN kind = 'OUTCOME'"
                    + " THEN body::jsonb ->> 'statementId' END");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new java.util.HashSet<>()).add(rs.getLong(2));
      }
    }
    return out;
  }

  /** Every whole record of a local audit log directory, oldest first. */
  static Local local(String instanceId, Path directory) throws IOException {
    List<LogRecord> records = new ArrayList<>();
    for (SegmentFiles.Segment s : SegmentFiles.list(directory)) {
      records.addAll(SegmentFiles.scan(s.path()).records());
    }
    return new Local(instanceId, records);
  }
}
