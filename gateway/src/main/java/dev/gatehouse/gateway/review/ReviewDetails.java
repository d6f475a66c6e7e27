package dev.gatehouse.gateway.review;

import dev.gatehouse.engine.audit.AuditPage;
import dev.gatehouse.engine.audit.AuditQuery;
import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.audit.StatementRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * What the identity summaries do not separate: tables read (allowed statements) apart from tables
 * only attempted (denied ones), and approvals by outcome, for requesters and for approvers.
 */
final class ReviewDetails {

  /** Credential catalogs: reading them is an attempt on passwords or keys, whatever the outcome. */
  static final Set<String> CREDENTIAL_CATALOGS =
      Set.of(
          "pg_catalog.pg_authid",
          "pg_catalog.pg_shadow",
          "pg_catalog.pg_user_mapping",
          "pg_catalog.pg_user_mappings",
          "information_schema.user_mapping_options");

  /** Approvals of one identity: as requester by outcome, and decided for others. */
  record Approvals(
      long requested, long granted, long denied, long decidedGranted, long decidedDenied) {
    static final Approvals NONE = new Approvals(0, 0, 0, 0, 0);
  }

  /** Tables by outcome for one identity. */
  record Tables(Set<String> read, Set<String> attempted) {}

  private ReviewDetails() {}

  /** Per {@code subject}: the tables of its allowed and of its denied statements. */
  static Map<String, Tables> tables(AuditSearch search, Instant from, Instant to)
      throws SQLException {
    Map<String, Tables> out = new HashMap<>();
    String cursor = null;
    // bounded: a review reads at most 100k statement records
    for (int page = 0; page < 100; page++) {
      AuditPage p = search.search(AuditQuery.all().between(from, to).page(1000, cursor));
      for (StatementRecord r : p.items()) {
        Tables t =
            out.computeIfAbsent(r.subject(), s -> new Tables(new TreeSet<>(), new TreeSet<>()));
        boolean allowed = "allow".equalsIgnoreCase(r.decision());
        (allowed ? t.read() : t.attempted()).addAll(r.tables());
      }
      cursor = p.nextCursor();
      if (cursor == null) {
        break;
      }
    }
    out.values().forEach(t -> t.attempted().removeAll(t.read()));
    return out;
  }

  /**
   * Per {@code subject}: approval requests made in the period by outcome, and decisions given;
   * approvers are keyed by their subject ({@code decided_by} is {@code subject (issuer)}).
   */
  static Map<String, Approvals> approvals(
      DataSource control, String schema, Instant from, Instant to) throws SQLException {
    Map<String, long[]> counts = new HashMap<>();
    String sql =
        "SELECT requester_subject, state, decided_by FROM "
            + schema
            + ".approval_request WHERE created_at >= ? AND created_at < ?";
    try (Connection c = control.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setTimestamp(1, Timestamp.from(from));
      s.setTimestamp(2, Timestamp.from(to));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String state = rs.getString(2);
          boolean granted = state.equals("APPROVED") || state.equals("USED");
          boolean denied = state.equals("DENIED");
          long[] req = counts.computeIfAbsent(rs.getString(1), k -> new long[5]);
          req[0]++;
          req[1] += granted ? 1 : 0;
          req[2] += denied ? 1 : 0;
          String by = rs.getString(3);
          if (by != null && (granted || denied)) {
            String approver = by.contains(" (") ? by.substring(0, by.indexOf(" (")) : by;
            long[] a = counts.computeIfAbsent(approver, k -> new long[5]);
            a[granted ? 3 : 4]++;
          }
        }
      }
    }
    Map<String, Approvals> out = new HashMap<>();
    counts.forEach((k, v) -> out.put(k, new Approvals(v[0], v[1], v[2], v[3], v[4])));
    return out;
  }
}
