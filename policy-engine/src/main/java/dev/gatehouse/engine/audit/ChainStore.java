package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.LogRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Appends records to this instance's chain in the control database, one transaction per batch. Only
 * the writer thread calls it.
 */
final class ChainStore {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChainStore.class);

  private final ControlDatabase db;
  private final DataSource dataSource;
  private final AuditKey key;
  private final String instanceId;
  private final boolean synchronousCommit;
  // The chain head as last committed; null when unknown (at start, or after a failed commit whose
  // outcome we cannot know), then it is read back from the database.
  private long headSeq;
  private String headHash;
  private boolean headKnown;
  private final java.util.Set<java.time.LocalDate> partitions = new HashSet<>();

  ChainStore(ControlDatabase db, AuditKey key, String instanceId, boolean synchronousCommit) {
    this.synchronousCommit = synchronousCommit;
    this.db = db;
    this.dataSource = db.dataSource();
    this.key = key;
    this.instanceId = instanceId;
  }

  /**
   * Like {@link #append}, but a record the database refuses for what it holds (a data exception or
   * a check violation, which no retry can cure) is replaced by a stand-in record with the same id,
   * kind and time that says why and carries the SHA-256 of the refused body; otherwise one bad
   * record would hold every later one in the spool and refuse every governed statement.
   */
  int appendIsolating(List<AuditRecord> records, boolean skipCommitted) throws SQLException {
    try {
      return append(records, skipCommitted);
    } catch (SQLException e) {
      if (!permanent(e)) {
        throw e;
      }
    }
    int n = 0;
    for (AuditRecord r : records) {
      try {
        n += append(List.of(r), true);
      } catch (SQLException e) {
        if (!permanent(e)) {
          throw e;
        }
        log.error(
            "audit record {} refused by the control database, stored as a stand-in: {}",
            r.id(),
            serverMessage(e));
        n += append(List.of(standIn(r, e)), true);
      }
    }
    return n;
  }

  static boolean permanent(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("22") || state.equals("23514") || state.equals("54000"));
  }

  private static AuditRecord standIn(AuditRecord r, SQLException e) {
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("unstorable", true);
    body.put("sqlState", e.getSQLState());
    // Only the server's own message: the driver's would quote the refused record.
    body.put("reason", serverMessage(e));
    body.put("bodySha256", sha256(r.body()));
    // Keep the link of an outcome to its statement, which searches follow.
    int at = r.body().indexOf("\"statementId\":\"");
    if (at >= 0) {
      String rest = r.body().substring(at + 15);
      body.put("statementId", rest.substring(0, Math.min(36, rest.length())));
    }
    return new AuditRecord(r.id(), r.kind(), r.at(), RecordBodies.write(body));
  }

  private static String serverMessage(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (x instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
        return p.getServerErrorMessage().getMessage();
      }
    }
    return "refused with SQLSTATE " + e.getSQLState();
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Commits {@code records} in one statement. With {@code skipCommitted}, records whose id is
   * already stored are left out (a replay after a commit whose acknowledgement was lost).
   *
   * @return how many records were inserted
   */
  int append(List<AuditRecord> records, boolean skipCommitted) throws SQLException {
    db.ensureMigrated();
    try (Connection c = dataSource.getConnection()) {
      // Without synchronous commit the batch is its own transaction, so the setting stays in it.
      if (c.getAutoCommit() != synchronousCommit) {
        c.setAutoCommit(synchronousCommit);
      }
      if (!headKnown) {
        loadHead(c);
      }
      List<AuditRecord> todo = skipCommitted ? uncommitted(c, records) : records;
      if (todo.isEmpty()) {
        return 0;
      }
      List<LogRecord> chained = new java.util.ArrayList<>(todo.size());
      long expected = headSeq;
      long seq = headSeq;
      String prev = headHash;
      for (AuditRecord r : todo) {
        seq++;
        String hash = ChainHasher.recordHash(key, instanceId, seq, prev, r);
        chained.add(
            new LogRecord(
                seq, r.id(), r.kind().name(), ChainHasher.micros(r.at()), r.body(), prev, hash));
        prev = hash;
      }
      List<EntryRows.Row> rows = EntryRows.rows(chained, false);
      EntryRows.ensurePartitions(c, rows, partitions);
      if (!synchronousCommit) {
        try (Statement st = c.createStatement()) {
          st.execute("SET LOCAL synchronous_commit TO off");
        }
      }
      EntryRows.insert(c, key, instanceId, rows, expected, seq, prev);
      if (!synchronousCommit) {
        c.commit();
      }
      headSeq = seq;
      headHash = prev;
      return chained.size();
    } catch (SQLException e) {
      headKnown = false;
      if ("23505".equals(e.getSQLState())) {
        // Someone else extended this chain: two running instances share an instance id.
        throw new SQLException(
            "audit chain `"
                + instanceId
                + "` was extended by another writer; is a second gateway running with the same"
                + " instance id?",
            e.getSQLState(),
            e);
      }
      throw e;
    } catch (RuntimeException | Error e) {
      headKnown = false;
      throw e;
    }
  }

  /** The last committed record of this chain, as an anchor to publish; null before the first. */
  VerifyReport.Anchor head() {
    return headKnown && headSeq > 0 ? new VerifyReport.Anchor(instanceId, headSeq, headHash) : null;
  }

  private void loadHead(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT seq, hash FROM audit_chain_head WHERE instance_id = ?")) {
      ps.setString(1, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          headSeq = rs.getLong(1);
          headHash = rs.getString(2);
        } else {
          headSeq = 0;
          headHash = ChainHasher.GENESIS;
        }
      }
    }
    headKnown = true;
  }

  private static List<AuditRecord> uncommitted(Connection c, List<AuditRecord> records)
      throws SQLException {
    if (records.isEmpty()) {
      return records;
    }
    Set<UUID> stored = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM audit_entry WHERE id = ANY(?)")) {
      Array ids = c.createArrayOf("uuid", records.stream().map(AuditRecord::id).toArray());
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return stored.isEmpty()
        ? records
        : records.stream().filter(r -> !stored.contains(r.id())).toList();
  }
}
