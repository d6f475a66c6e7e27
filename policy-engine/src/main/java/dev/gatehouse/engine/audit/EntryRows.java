package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.LogRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes chained records into the lean {@code audit_entry} table: one statement inserts a batch of
 * rows and moves the chain head, into daily partitions created on demand. An outcome that travels
 * with its decision is stored in the decision's row (ADR 0004, decision 13).
 */
final class EntryRows {

  /** One row: a record, the outcome merged into it if any, and the columns searches index. */
  record Row(LogRecord record, LogRecord outcome, String subject, UUID statementId) {}

  /**
   * The head moves only from the value this writer last saw, and the rows are inserted only if it
   * moved: one atomic statement, and a second writer on the same chain inserts nothing.
   */
  private static final String INSERT =
      "WITH head AS (INSERT INTO audit_chain_head (instance_id, seq, hash, mac) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (instance_id) DO UPDATE"
          + " SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, mac = EXCLUDED.mac"
          + " WHERE audit_chain_head.seq = ? RETURNING 1)"
          + " INSERT INTO audit_entry (instance_id, seq, id, kind, at, body, prev_hash,"
          + " hash, subject, statement_id, outcome_seq, outcome_id, outcome_at, outcome_body,"
          + " outcome_prev_hash, outcome_hash)"
          + " SELECT ?, r.seq, r.id, r.kind, timestamptz 'epoch' + r.micros * interval '1"
          + " microsecond', r.body, r.prev, r.hash, r.subject, r.sid, r.oseq, r.oid,"
          + " timestamptz 'epoch' + r.omicros * interval '1 microsecond', r.obody, r.oprev,"
          + " r.ohash FROM unnest(?::int8[], ?::uuid[], ?::text[], ?::int8[], ?::text[],"
          + " ?::text[], ?::text[], ?::text[], ?::uuid[], ?::int8[], ?::uuid[], ?::int8[],"
          + " ?::text[], ?::text[], ?::text[]) AS r (seq, id, kind, micros, body, prev, hash,"
          + " subject, sid, oseq, oid, omicros, obody, oprev, ohash)"
          + " WHERE EXISTS (SELECT 1 FROM head)";

  private EntryRows() {}

  /**
   * One row per record; with {@code merge}, an outcome whose decision is in the same list joins the
   * decision's row.
   */
  static List<Row> rows(List<LogRecord> records, boolean merge) {
    List<Row> rows = new ArrayList<>(records.size());
    Map<UUID, Integer> statements = new HashMap<>();
    for (LogRecord r : records) {
      String subject = null;
      UUID statementId = null;
      if (r.kind().equals("STATEMENT")) {
        subject = text(r.bodyUtf8(), "principal", "subject");
      } else if (r.kind().equals("OUTCOME")) {
        String s = text(r.bodyUtf8(), "statementId", null);
        statementId = s == null ? null : parse(s);
        Integer at = statementId == null || !merge ? null : statements.remove(statementId);
        if (at != null) {
          Row decision = rows.get(at);
          rows.set(at, new Row(decision.record(), r, decision.subject(), null));
          continue;
        }
      }
      if (subject != null || r.kind().equals("STATEMENT")) {
        statements.put(r.id(), rows.size());
      }
      rows.add(new Row(r, null, subject, statementId));
    }
    return rows;
  }

  /**
   * The string at {@code name} (or {@code name.inner}) of a body's top-level object, or null. Read
   * by streaming up to it, skipping what comes before: the shipper reads two fields of every
   * record, and parsing whole bodies into trees cost it half its time (issue 15's profile).
   */
  static String text(byte[] body, String name, String inner) {
    try (tools.jackson.core.JsonParser p = RecordBodies.JSON.createParser(body)) {
      if (p.nextToken() != tools.jackson.core.JsonToken.START_OBJECT) {
        return null;
      }
      return field(p, name, inner);
    }
  }

  private static String field(tools.jackson.core.JsonParser p, String name, String inner) {
    for (var t = p.nextToken();
        t == tools.jackson.core.JsonToken.PROPERTY_NAME;
        t = p.nextToken()) {
      boolean wanted = name.equals(p.currentName());
      var value = p.nextToken();
      if (!wanted) {
        p.skipChildren();
      } else if (inner == null) {
        return value == tools.jackson.core.JsonToken.VALUE_STRING ? p.getString() : null;
      } else {
        return value == tools.jackson.core.JsonToken.START_OBJECT ? field(p, inner, null) : null;
      }
    }
    return null;
  }

  private static UUID parse(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Creates the daily partitions these rows need (idempotent, also across instances). */
  static void ensurePartitions(Connection c, List<Row> rows, Set<LocalDate> known)
      throws SQLException {
    for (Row row : rows) {
      ensurePartition(c, row.record().atMicros(), known);
    }
  }

  /** Creates the partition of the day of {@code atMicros} unless {@code known} has it. */
  static void ensurePartition(Connection c, long atMicros, Set<LocalDate> known)
      throws SQLException {
    LocalDate day =
        Instant.EPOCH.plusNanos(atMicros * 1_000).atOffset(ZoneOffset.UTC).toLocalDate();
    if (known.contains(day)) {
      return;
    }
    String name = "audit_entry_p" + day.toString().replace("-", "");
    String sql =
        "CREATE TABLE IF NOT EXISTS "
            + name
            + " PARTITION OF audit_entry FOR VALUES FROM ('"
            + day
            + " 00:00:00+00') TO ('"
            + day.plusDays(1)
            + " 00:00:00+00')";
    boolean auto = c.getAutoCommit();
    try (Statement st = c.createStatement()) {
      if (!auto) {
        c.commit(); // a partition of its own, outside the batch's transaction
        c.setAutoCommit(true);
      }
      try {
        st.execute(sql);
      } catch (SQLException e) {
        // Two instances creating the same partition at once: the loser sees it exist.
        if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
          throw e;
        }
      }
    } finally {
      if (!auto) {
        c.setAutoCommit(false);
      }
    }
    known.add(day);
  }

  /**
   * Inserts the rows and moves the head from {@code expectedSeq} to ({@code headSeq}, {@code
   * headHash}); fails when another writer moved it (two instances share an instance id).
   */
  static void insert(
      Connection c,
      AuditKey key,
      String instanceId,
      List<Row> rows,
      long expectedSeq,
      long headSeq,
      String headHash)
      throws SQLException {
    int n = rows.size();
    Long[] seqs = new Long[n];
    UUID[] ids = new UUID[n];
    String[] kinds = new String[n];
    Long[] micros = new Long[n];
    String[] bodies = new String[n];
    String[] prevs = new String[n];
    String[] hashes = new String[n];
    String[] subjects = new String[n];
    UUID[] sids = new UUID[n];
    Long[] oseqs = new Long[n];
    UUID[] oids = new UUID[n];
    Long[] omicros = new Long[n];
    String[] obodies = new String[n];
    String[] oprevs = new String[n];
    String[] ohashes = new String[n];
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      LogRecord r = row.record();
      seqs[i] = r.seq();
      ids[i] = r.id();
      kinds[i] = r.kind();
      micros[i] = r.atMicros();
      bodies[i] = r.body();
      prevs[i] = r.prevHash();
      hashes[i] = r.hash();
      subjects[i] = row.subject();
      sids[i] = row.statementId();
      LogRecord o = row.outcome();
      if (o != null) {
        oseqs[i] = o.seq();
        oids[i] = o.id();
        omicros[i] = o.atMicros();
        obodies[i] = o.body();
        oprevs[i] = o.prevHash();
        ohashes[i] = o.hash();
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      int p = 1;
      ps.setString(p++, instanceId);
      ps.setLong(p++, headSeq);
      ps.setString(p++, headHash);
      ps.setString(p++, ChainHasher.headMac(key, instanceId, headSeq, headHash));
      ps.setLong(p++, expectedSeq);
      ps.setString(p++, instanceId);
      ps.setArray(p++, c.createArrayOf("int8", seqs));
      ps.setArray(p++, c.createArrayOf("uuid", ids));
      ps.setArray(p++, c.createArrayOf("text", kinds));
      ps.setArray(p++, c.createArrayOf("int8", micros));
      ps.setArray(p++, c.createArrayOf("text", bodies));
      ps.setArray(p++, c.createArrayOf("text", prevs));
      ps.setArray(p++, c.createArrayOf("text", hashes));
      ps.setArray(p++, c.createArrayOf("text", subjects));
      ps.setArray(p++, c.createArrayOf("uuid", sids));
      ps.setArray(p++, c.createArrayOf("int8", oseqs));
      ps.setArray(p++, c.createArrayOf("uuid", oids));
      ps.setArray(p++, c.createArrayOf("int8", omicros));
      ps.setArray(p++, c.createArrayOf("text", obodies));
      ps.setArray(p++, c.createArrayOf("text", oprevs));
      ps.setArray(p, c.createArrayOf("text", ohashes));
      if (ps.executeUpdate() != n) {
        throw new SQLException(
            "audit chain `"
                + instanceId
                + "` was extended by another writer; is a second gateway running with the same"
                + " instance id?",
            "23505");
      }
    }
  }
}
