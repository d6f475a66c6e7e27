package dev.gatehouse.engine.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import tools.jackson.core.type.TypeReference;

/** The one query behind {@link AuditSearch#summary}: an identity's activity in a period. */
final class IdentitySummaryQuery {

  private static final String SQL =
      """
      WITH s AS (
        SELECT id, at, body::jsonb AS doc, outcome_body FROM audit_entry
        WHERE kind = 'STATEMENT' AND subject = ? AND body::jsonb @> ?::jsonb
          AND at >= ? AND at < ?),
      o AS (
        SELECT s.doc AS statement, coalesce(s.outcome_body,
            (SELECT r.body FROM audit_entry r WHERE r.statement_id = s.id
              ORDER BY r.seq LIMIT 1))::jsonb AS doc FROM s)
      SELECT
        (SELECT min(at) FROM s),
        (SELECT max(at) FROM s),
        (SELECT count(*) FROM s),
        (SELECT coalesce(array_agg(DISTINCT t ORDER BY t), '{}')
           FROM s, jsonb_array_elements_text(s.doc -> 'tables') t),
        (SELECT coalesce(jsonb_object_agg(c, n), '{}')::text FROM
           (SELECT c, count(*) AS n FROM s, jsonb_array_elements_text(s.doc -> 'statementClasses') c
            GROUP BY c) x),
        (SELECT coalesce(sum((o.doc ->> 'rows')::bigint), 0) FROM o
           WHERE o.statement -> 'statementClasses' @> '["READ"]'),
        (SELECT coalesce(array_agg(DISTINCT m ORDER BY m), '{}')
           FROM o, jsonb_array_elements_text(o.doc -> 'maskedColumns') m),
        (SELECT count(*) FROM s WHERE s.doc ->> 'effect' = 'DENY'),
        (SELECT count(*) FROM audit_entry WHERE kind = 'APPROVAL' AND body::jsonb @> ?::jsonb
           AND at >= ? AND at < ?),
        (SELECT count(*) FROM audit_entry WHERE kind = 'APPROVAL' AND body::jsonb @> ?::jsonb
           AND at >= ? AND at < ?)
      """;

  private IdentitySummaryQuery() {}

  static IdentitySummary run(
      DataSource dataSource, String issuer, String subject, Instant from, Instant to)
      throws SQLException {
    Map<String, Object> who = Map.of("issuer", issuer, "subject", subject);
    String principal = json(Map.of("principal", who));
    String requested = json(Map.of("step", "REQUESTED", "requester", who));
    String given = json(Map.of("step", "APPROVED", "actor", who));
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SQL)) {
      int i = 1;
      ps.setString(i++, subject);
      for (String doc : List.of(principal, requested, given)) {
        ps.setString(i++, doc);
        ps.setTimestamp(i++, Timestamp.from(from));
        ps.setTimestamp(i++, Timestamp.from(to));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        OffsetDateTime first = rs.getObject(1, OffsetDateTime.class);
        OffsetDateTime last = rs.getObject(2, OffsetDateTime.class);
        Map<String, Long> classes =
            new TreeMap<>(
                RecordBodies.JSON.readValue(
                    rs.getString(5), new TypeReference<Map<String, Long>>() {}));
        return new IdentitySummary(
            issuer,
            subject,
            first == null ? null : first.toInstant(),
            last == null ? null : last.toInstant(),
            rs.getLong(3),
            strings(rs.getArray(4)),
            classes,
            rs.getLong(6),
            strings(rs.getArray(7)),
            rs.getLong(8),
            rs.getLong(9),
            rs.getLong(10));
      }
    }
  }

  private static String json(Object value) {
    return RecordBodies.JSON.writeValueAsString(value);
  }

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
  }
}
