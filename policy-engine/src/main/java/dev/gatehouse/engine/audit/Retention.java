package dev.gatehouse.engine.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the daily partitions of {@code audit_entry} that lie wholly before the retention horizon.
 * First it records, per chain, the first record that stays ({@code audit_chain_floor}, MAC'd), so
 * {@code verify} still detects records deleted after it.
 */
final class Retention {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final String FLOORS =
      "SELECT DISTINCT ON (instance_id) instance_id, seq, prev FROM ("
          + " SELECT instance_id, seq, prev_hash AS prev FROM audit_entry WHERE at >= ?"
          + " UNION ALL SELECT instance_id, outcome_seq, outcome_prev_hash FROM audit_entry"
          + " WHERE at >= ? AND outcome_seq IS NOT NULL) x ORDER BY instance_id, seq";

  private final ControlDatabase db;
  private final AuditKey key;
  private final Duration keep;
  private long nextRun;

  Retention(ControlDatabase db, AuditKey key, String instanceId, Duration keep) {
    this.db = db;
    this.key = key;
    this.keep = keep;
  }

  /** Once at start, then hourly. */
  boolean due() {
    return System.nanoTime() - nextRun >= 0;
  }

  /** Drops the partitions older than the horizon; returns how many. */
  int apply() throws SQLException {
    nextRun = System.nanoTime() + Duration.ofHours(1).toNanos();
    return dropBefore(Instant.now().minus(keep));
  }

  int dropBefore(Instant horizon) throws SQLException {
    LocalDate firstKept = horizon.atOffset(ZoneOffset.UTC).toLocalDate();
    List<String> drop = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                      + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit_entry'"
                      + " AND p.relnamespace = current_schema()::regnamespace")) {
        while (rs.next()) {
          String name = rs.getString(1);
          if (name.matches("audit_entry_p\\d{8}")
              && LocalDate.parse(name.substring(13), DAY).isBefore(firstKept)) {
            drop.add(name);
          }
        }
      }
      if (drop.isEmpty()) {
        c.rollback();
        return 0;
      }
      Timestamp from = Timestamp.from(firstKept.atStartOfDay(ZoneOffset.UTC).toInstant());
      try (PreparedStatement floors = c.prepareStatement(FLOORS);
          PreparedStatement put =
              c.prepareStatement(
                  "INSERT INTO audit_chain_floor (instance_id, seq, prev_hash, mac)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT (instance_id) DO UPDATE SET"
                      + " seq = EXCLUDED.seq, prev_hash = EXCLUDED.prev_hash, mac = EXCLUDED.mac"
                      + " WHERE audit_chain_floor.seq < EXCLUDED.seq")) {
        floors.setTimestamp(1, from);
        floors.setTimestamp(2, from);
        try (ResultSet rs = floors.executeQuery()) {
          while (rs.next()) {
            String chain = rs.getString(1);
            long seq = rs.getLong(2);
            String prev = rs.getString(3);
            put.setString(1, chain);
            put.setLong(2, seq);
            put.setString(3, prev);
            put.setString(4, ChainHasher.floorMac(key, chain, seq, prev));
            put.addBatch();
          }
        }
        put.executeBatch();
      }
      try (Statement st = c.createStatement()) {
        for (String name : drop) {
          st.execute("DROP TABLE IF EXISTS " + name);
        }
      }
      c.commit();
    }
    log.info("audit retention dropped {} daily partitions before {}", drop.size(), firstKept);
    return drop.size();
  }
}
