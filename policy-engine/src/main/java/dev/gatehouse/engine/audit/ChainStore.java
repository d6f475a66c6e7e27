package dev.gatehouse.engine.audit;

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

  /**
   * The records and the new chain head in one statement, so one round trip commits a batch (it runs
   * in autocommit: a statement is its own transaction). Times travel as microseconds since the
   * epoch, exactly what the hash covers.
   */
  private static final String APPEND =
      "WITH added AS (INSERT INTO audit_record"
          + " (id, instance_id, seq, kind, at, body, prev_hash, hash)"
          + " SELECT r.id, ?, r.seq, r.kind,"
          + " timestamptz 'epoch' + r.micros * interval '1 microsecond',"
          + " r.body, r.prev_hash, r.hash"
          + " FROM unnest(?::uuid[], ?::int8[], ?::text[], ?::int8[], ?::text[], ?::text[],"
          + " ?::text[]) AS r (id, seq, kind, micros, body, prev_hash, hash))"
          + " INSERT INTO audit_chain_head (instance_id, seq, hash, mac) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (instance_id) DO UPDATE"
          + " SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, mac = EXCLUDED.mac";

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
      int n = todo.size();
      UUID[] ids = new UUID[n];
      Long[] seqs = new Long[n];
      String[] kinds = new String[n];
      Long[] micros = new Long[n];
      String[] bodies = new String[n];
      String[] prevs = new String[n];
      String[] hashes = new String[n];
      long seq = headSeq;
      String prev = headHash;
      for (int i = 0; i < n; i++) {
        AuditRecord r = todo.get(i);
        seq++;
        String hash = ChainHasher.recordHash(key, instanceId, seq, prev, r);
        ids[i] = r.id();
        seqs[i] = seq;
        kinds[i] = r.kind().name();
        micros[i] = ChainHasher.micros(r.at());
        bodies[i] = r.body();
        prevs[i] = prev;
        hashes[i] = hash;
        prev = hash;
      }
      try (PreparedStatement ps = c.prepareStatement(APPEND)) {
        ps.setString(1, instanceId);
        ps.setArray(2, c.createArrayOf("uuid", ids));
        ps.setArray(3, c.createArrayOf("int8", seqs));
        ps.setArray(4, c.createArrayOf("text", kinds));
        ps.setArray(5, c.createArrayOf("int8", micros));
        ps.setArray(6, c.createArrayOf("text", bodies));
        ps.setArray(7, c.createArrayOf("text", prevs));
        ps.setArray(8, c.createArrayOf("text", hashes));
        ps.setString(9, instanceId);
        ps.setLong(10, seq);
        ps.setString(11, prev);
        ps.setString(12, ChainHasher.headMac(key, instanceId, seq, prev));
        if (!synchronousCommit) {
          try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL synchronous_commit TO off");
          }
        }
        ps.executeUpdate();
      }
      if (!synchronousCommit) {
        c.commit();
      }
      headSeq = seq;
      headHash = prev;
      return n;
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
        c.prepareStatement(
            "SELECT seq, hash FROM audit_record WHERE instance_id = ? ORDER BY seq DESC LIMIT 1")) {
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
        c.prepareStatement("SELECT id FROM audit_record WHERE id = ANY(?)")) {
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
