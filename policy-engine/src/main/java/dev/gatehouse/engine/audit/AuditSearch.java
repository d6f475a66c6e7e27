package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.sql.StatementClass;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * Searches statement records (the basis of {@code audit search}) and summarizes identities (the
 * basis of {@code review report}) in the lean {@code audit_entry} table: a subject uses its index,
 * the other criteria one JSON containment test on the record body within the time range.
 */
public final class AuditSearch {

  private final DataSource dataSource;

  public AuditSearch(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Searches as a reader cleared for every masked value sees the trail. */
  public AuditPage search(AuditQuery q) throws SQLException {
    return search(q, true);
  }

  /**
   * Searches as a reader sees the trail: with {@code literalsVisible} false, every record comes
   * back through {@link LiteralsWithheld}, and a text filter matches the text the reader sees, not
   * the stored text (else the filter would tell which withheld literal a statement held). Such a
   * search reads at most {@value #WITHHELD_SCAN} records per page; a page may then hold fewer items
   * than the limit and still have a next cursor.
   */
  public AuditPage search(AuditQuery q, boolean literalsVisible) throws SQLException {
    String text = q.text() == null || q.text().isEmpty() ? null : q.text();
    if (literalsVisible || text == null) {
      Rows rows = fetch(q, text, q.cursor() == null ? null : Cursor.decode(q.cursor()), q.limit());
      List<StatementRecord> items =
          literalsVisible ? rows.items() : rows.items().stream().map(LiteralsWithheld::of).toList();
      return page(items, q.limit(), rows.more());
    }
    String needle = text.toLowerCase(Locale.ROOT);
    List<StatementRecord> found = new ArrayList<>();
    Cursor after = q.cursor() == null ? null : Cursor.decode(q.cursor());
    int scanned = 0;
    while (true) {
      Rows rows = fetch(q, null, after, Math.min(500, WITHHELD_SCAN - scanned));
      for (StatementRecord r : rows.items()) {
        scanned++;
        after = new Cursor(r.at(), r.id());
        StatementRecord seen = LiteralsWithheld.of(r);
        if (seen.sql() != null && seen.sql().toLowerCase(Locale.ROOT).contains(needle)) {
          found.add(seen);
          if (found.size() > q.limit()) {
            return page(found, q.limit(), true);
          }
        }
      }
      if (!rows.more()) {
        return new AuditPage(found, null);
      }
      if (scanned >= WITHHELD_SCAN) {
        // The scan bound was reached: the next page goes on from the last record read.
        return new AuditPage(found, after.encode());
      }
    }
  }

  /** Records read per page at most when a text filter must match the withheld text. */
  static final int WITHHELD_SCAN = 5_000;

  private record Rows(List<StatementRecord> items, boolean more) {}

  private static AuditPage page(List<StatementRecord> items, int limit, boolean more) {
    if (items.size() > limit) {
      items = items.subList(0, limit);
    }
    String next = null;
    if (more && !items.isEmpty()) {
      StatementRecord last = items.getLast();
      next = new Cursor(last.at(), last.id()).encode();
    }
    return new AuditPage(items, next);
  }

  /** Up to {@code max} records after {@code after}; {@code more} when there are others. */
  private Rows fetch(AuditQuery q, String text, Cursor after, int max) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT s.id, s.at, s.instance_id, s.seq, s.body, o.body FROM audit_entry s"
                + " CROSS JOIN LATERAL (SELECT coalesce(s.outcome_body, (SELECT r.body FROM"
                + " audit_entry r WHERE r.statement_id = s.id ORDER BY r.seq LIMIT 1)) AS body) o"
                + " WHERE s.kind = 'STATEMENT' AND s.body::jsonb @> ?::jsonb");
    List<Object> args = new ArrayList<>();
    args.add(RecordBodies.JSON.writeValueAsString(containment(q)));
    if (q.subject() != null) {
      sql.append(" AND s.subject = ?"); // the indexed column, extracted from the hashed body
      args.add(q.subject());
    }
    if (q.maskedColumn() != null) {
      sql.append(" AND o.body::jsonb @> ?::jsonb");
      args.add(
          RecordBodies.JSON.writeValueAsString(
              Map.of("maskedColumns", List.of(q.maskedColumn().toLowerCase(Locale.ROOT)))));
    }
    if (q.from() != null) {
      sql.append(" AND s.at >= ?");
      args.add(Timestamp.from(q.from()));
    }
    if (q.to() != null) {
      sql.append(" AND s.at < ?");
      args.add(Timestamp.from(q.to()));
    }
    if (text != null) {
      sql.append(" AND s.body::jsonb ->> 'sql' ILIKE ? ESCAPE '\\'");
      args.add("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (after != null) {
      sql.append(" AND (s.at, s.id) < (?, ?)");
      args.add(Timestamp.from(after.at()));
      args.add(after.id());
    }
    sql.append(" ORDER BY s.at DESC, s.id DESC LIMIT ?");
    args.add(max + 1);

    List<StatementRecord> items = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(
              RecordReader.statement(
                  rs.getObject(1, UUID.class),
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getString(6)));
        }
      }
    }
    boolean more = items.size() > max;
    return new Rows(more ? items.subList(0, max) : items, more);
  }

  /** The criteria that are plain JSON containment, merged into one document. */
  private static Map<String, Object> containment(AuditQuery q) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> principal = new LinkedHashMap<>();
    if (q.subject() != null) {
      principal.put("subject", q.subject());
    }
    if (q.issuer() != null) {
      principal.put("issuer", q.issuer());
    }
    if (q.group() != null) {
      principal.put("groups", List.of(q.group()));
    }
    if (!principal.isEmpty()) {
      doc.put("principal", principal);
    }
    if (q.table() != null) {
      doc.put("tables", List.of(q.table().toLowerCase(Locale.ROOT)));
    }
    if (q.statementKind() != null) {
      String kind = q.statementKind().strip().toUpperCase(Locale.ROOT);
      boolean isClass =
          List.of(StatementClass.values()).stream().anyMatch(c -> c.name().equals(kind));
      doc.put(isClass ? "statementClasses" : "statementKinds", List.of(kind));
    }
    if (q.decision() != null) {
      doc.put("effect", q.decision().strip().toUpperCase(Locale.ROOT));
    }
    if (q.ruleId() != null) {
      doc.put("ruleIds", List.of(q.ruleId()));
    }
    return doc;
  }

  /** Summarizes every identity that sent statements between {@code from} and {@code to}. */
  public List<IdentitySummary> summaries(Instant from, Instant to) throws SQLException {
    List<String[]> identities = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT body::jsonb -> 'principal' ->> 'issuer', subject"
                    + " FROM audit_entry WHERE kind = 'STATEMENT' AND at >= ? AND at < ?"
                    + " AND subject IS NOT NULL ORDER BY 2, 1")) {
      ps.setTimestamp(1, Timestamp.from(from));
      ps.setTimestamp(2, Timestamp.from(to));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          identities.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    List<IdentitySummary> out = new ArrayList<>();
    for (String[] id : identities) {
      out.add(summary(id[0], id[1], from, to));
    }
    return out;
  }

  /** What one identity did between {@code from} and {@code to}. */
  public IdentitySummary summary(String issuer, String subject, Instant from, Instant to)
      throws SQLException {
    return IdentitySummaryQuery.run(dataSource, issuer, subject, from, to);
  }

  /** Keyset position: the time and id of the last record of a page. */
  record Cursor(Instant at, UUID id) {
    String encode() {
      String raw = ChainHasher.micros(at) + ":" + id;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        long micros = Long.parseLong(raw.substring(0, colon));
        return new Cursor(
            Instant.EPOCH.plusNanos(micros * 1_000), UUID.fromString(raw.substring(colon + 1)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid search cursor `" + cursor + "`", e);
      }
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.isNull() ? null : n.asString()));
    }
    return out;
  }
}
