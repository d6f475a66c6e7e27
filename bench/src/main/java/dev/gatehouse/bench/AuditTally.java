package dev.gatehouse.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How many statements of one principal the gateway audited, by decision, and how many of their
 * outcomes carry an error: read from the control database before and after a run, so the bench
 * proves the governed path did the work it timed.
 */
public record AuditTally(long allowed, long denied, long held, long outcomes, long outcomeErrors) {

  private static final String STATEMENTS =
      """
      SELECT count(*) FILTER (WHERE doc ->> 'effect' = 'ALLOW'),
             count(*) FILTER (WHERE doc ->> 'effect' = 'DENY'),
             count(*) FILTER (WHERE doc ->> 'effect' = 'REQUIRE_APPROVAL')
        FROM gatehouse_audit.audit_record
       WHERE kind = 'STATEMENT' AND doc -> 'principal' ->> 'subject' = ?
      """;

  private static final String OUTCOMES =
      """
      SELECT count(*), count(*) FILTER (WHERE o.doc ->> 'error' IS NOT NULL)
        FROM gatehouse_audit.audit_record o
        JOIN gatehouse_audit.audit_record s ON s.id = (o.doc ->> 'statementId')::uuid
       WHERE o.kind = 'OUTCOME' AND s.kind = 'STATEMENT'
         AND s.doc -> 'principal' ->> 'subject' = ?
      """;

  private static final String REFUSED =
      """
      SELECT s.doc ->> 'effect', s.doc ->> 'sql', s.doc ->> 'explanation', count(*)
        FROM gatehouse_audit.audit_record s
       WHERE s.kind = 'STATEMENT' AND s.doc -> 'principal' ->> 'subject' = ?
         AND s.doc ->> 'effect' <> 'ALLOW'
       GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 5
      """;

  /**
   * The tally now, once the trail has settled: outcomes are committed just after the client sees
   * its result, so the bench waits until two reads a moment apart agree.
   */
  public static AuditTally settled(BenchStack stack, String subject) throws Exception {
    AuditTally last = read(stack, subject);
    for (int i = 0; i < 40; i++) {
      Thread.sleep(250);
      AuditTally now = read(stack, subject);
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    return last;
  }

  static AuditTally read(BenchStack stack, String subject) throws SQLException {
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase())) {
      long[] s = longs(c, STATEMENTS, subject, 3);
      long[] o = longs(c, OUTCOMES, subject, 2);
      return new AuditTally(s[0], s[1], s[2], o[0], o[1]);
    }
  }

  /** Up to five distinct statements of {@code subject} that were not allowed, with the reason. */
  public static List<String> refused(BenchStack stack, String subject) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        PreparedStatement ps = c.prepareStatement(REFUSED)) {
      ps.setString(1, subject);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              "%s x%d: `%s`: %s"
                  .formatted(rs.getString(1), rs.getLong(4), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  /** What happened between {@code before} and this tally. */
  public AuditTally minus(AuditTally before) {
    return new AuditTally(
        allowed - before.allowed,
        denied - before.denied,
        held - before.held,
        outcomes - before.outcomes,
        outcomeErrors - before.outcomeErrors);
  }

  private static long[] longs(Connection c, String sql, String subject, int n) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, subject);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
          out[i] = rs.getLong(i + 1);
        }
        return out;
      }
    }
  }
}
