package dev.gatehouse.engine.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * Reads single records of the audit trail exactly as stored: one statement with its outcome, and
 * the approval steps (who requested, approved, denied, used what, when) a console shows.
 */
public final class TrailReader {

  private final DataSource dataSource;

  public TrailReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The newest {@code limit} steps of every request, newest first. */
  public List<ApprovalEvent> recent(int limit) throws SQLException {
    return read(
        "SELECT at, body FROM audit_record WHERE kind = 'APPROVAL' ORDER BY at DESC, seq DESC"
            + " LIMIT ?",
        ps -> ps.setInt(1, Math.max(1, Math.min(limit, 1000))));
  }

  /** Every step of request {@code approvalId}, oldest first. */
  public List<ApprovalEvent> steps(UUID approvalId) throws SQLException {
    return read(
        "SELECT at, body FROM audit_record WHERE kind = 'APPROVAL' AND doc @> ?::jsonb"
            + " ORDER BY at, seq",
        ps -> ps.setString(1, "{\"approvalId\":\"" + approvalId + "\"}"));
  }

  /** The statement record {@code id} with its outcome, if the trail has it. */
  public Optional<StatementRecord> statement(UUID id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT s.id, s.at, s.instance_id, s.seq, s.body, o.body FROM audit_record s"
                    + " LEFT JOIN LATERAL (SELECT body FROM audit_record o WHERE o.kind = 'OUTCOME'"
                    + " AND (o.doc ->> 'statementId')::uuid = s.id ORDER BY o.seq LIMIT 1) o ON true"
                    + " WHERE s.kind = 'STATEMENT' AND s.id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
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

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<ApprovalEvent> read(String sql, Binder binder) throws SQLException {
    List<ApprovalEvent> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(event(rs.getObject(1, OffsetDateTime.class), rs.getString(2)));
        }
      }
    }
    return out;
  }

  private static ApprovalEvent event(OffsetDateTime at, String body) {
    JsonNode n = RecordBodies.JSON.readTree(body);
    JsonNode actor = n.get("actor");
    JsonNode requester = n.get("requester");
    return new ApprovalEvent(
        at.toInstant(),
        UUID.fromString(n.get("approvalId").asString()),
        ApprovalEvent.Step.valueOf(n.get("step").asString()),
        text(actor, "issuer"),
        text(actor, "subject"),
        text(requester, "issuer"),
        text(requester, "subject"),
        text(n, "database"),
        text(n, "detail"));
  }

  private static String text(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
