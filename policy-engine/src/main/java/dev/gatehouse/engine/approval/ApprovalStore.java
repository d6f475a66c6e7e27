package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.audit.ControlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Approval requests in the control database. Every state change is one conditional UPDATE (so two
 * instances never both win) with a NOTIFY in the same transaction (so waiters anywhere wake up only
 * once it is committed).
 */
final class ApprovalStore {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String COLUMNS =
      "id, state, requester_issuer, requester_subject, requester_claims::text, database_name,"
          + " sql_text, params::text, rule_ids::text, reasons, created_at, expires_at, decided_by,"
          + " decided_at, decision_reason";

  /** A request as stored, with its parameters exactly as bound (SQL NULLs included). */
  record Stored(ApprovalRequest request, List<String> boundParams) {}

  private final ControlDatabase db;
  private final String channel;

  ApprovalStore(ControlDatabase db, String channel) {
    this.db = db;
    this.channel = channel;
  }

  /**
   * A connection to a migrated control database (it may have been down when the gateway started).
   */
  private Connection connection() throws SQLException {
    db.ensureMigrated();
    return db.dataSource().getConnection();
  }

  void insert(
      ApprovalRequest r, List<String> boundParams, List<String> statementClasses, String channel)
      throws SQLException {
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO approval_request (id, state, requester_issuer, requester_subject,"
                    + " requester_claims, database_name, sql_text, params, rule_ids, reasons,"
                    + " created_at, expires_at, statement_classes, requested_on) VALUES (?, ?, ?, ?,"
                    + " ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, ?)")) {
      ps.setObject(1, r.id());
      ps.setString(2, r.state().name());
      ps.setString(3, r.requesterIssuer());
      ps.setString(4, r.requesterSubject());
      ps.setString(5, JSON.writeValueAsString(r.requesterClaims()));
      ps.setString(6, r.database());
      ps.setString(7, r.sql());
      ps.setString(8, JSON.writeValueAsString(boundParams));
      ps.setString(9, JSON.writeValueAsString(r.ruleIds()));
      ps.setString(10, r.reasons());
      ps.setTimestamp(11, Timestamp.from(r.createdAt()));
      ps.setTimestamp(12, Timestamp.from(r.expiresAt()));
      ps.setString(13, JSON.writeValueAsString(statementClasses));
      ps.setString(14, channel);
      ps.executeUpdate();
    }
  }

  /** The front end request {@code id} was made on; empty when unknown or not recorded. */
  Optional<String> requestedOn(UUID id) throws SQLException {
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT requested_on FROM approval_request WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  Optional<Stored> find(UUID id) throws SQLException {
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM approval_request WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  List<ApprovalRequest> pending(Instant now) throws SQLException {
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM approval_request"
                    + " WHERE state = 'PENDING' AND expires_at > ? ORDER BY created_at")) {
      ps.setTimestamp(1, Timestamp.from(now));
      List<ApprovalRequest> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(map(rs).request());
        }
      }
      return out;
    }
  }

  /**
   * Moves a request from {@code from} to {@code to} if it is still in {@code from} and not expired
   * at {@code now}; empty when someone else changed it first.
   */
  Optional<ApprovalRequest> transition(
      UUID id, ApprovalState from, ApprovalState to, String decidedBy, Instant now, String reason)
      throws SQLException {
    boolean decision = to == ApprovalState.APPROVED || to == ApprovalState.DENIED;
    String sql =
        "UPDATE approval_request SET state = ?"
            + (decision ? ", decided_by = ?, decided_at = ?, decision_reason = ?" : "")
            + (to == ApprovalState.USED ? ", used_at = ?" : "")
            + (to == ApprovalState.CANCELLED ? ", decision_reason = ?" : "")
            + " WHERE id = ? AND state = ? AND expires_at > ? RETURNING "
            + COLUMNS;
    return inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, to.name());
            if (decision) {
              ps.setString(i++, decidedBy);
              ps.setTimestamp(i++, Timestamp.from(now));
              ps.setString(i++, reason);
            }
            if (to == ApprovalState.USED) {
              ps.setTimestamp(i++, Timestamp.from(now));
            }
            if (to == ApprovalState.CANCELLED) {
              ps.setString(i++, reason);
            }
            ps.setObject(i++, id);
            ps.setString(i++, from.name());
            ps.setTimestamp(i, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.<ApprovalRequest>empty();
              }
              ApprovalRequest r = map(rs).request();
              notify(c, List.of(id));
              return Optional.of(r);
            }
          }
        });
  }

  /**
   * Opens a window for the statement classes the used request {@code id} was made for; false when
   * it was made without them.
   */
  boolean openWindow(UUID id, Instant opens, Instant closes) throws SQLException {
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO approval_window (approval_id, requester_issuer, requester_subject,"
                    + " database_name, statement_classes, opens_at, closes_at)"
                    + " SELECT id, requester_issuer, requester_subject, database_name,"
                    + " statement_classes, ?, ? FROM approval_request"
                    + " WHERE id = ? AND state = 'USED' AND statement_classes <> '[]'::jsonb")) {
      ps.setTimestamp(1, Timestamp.from(opens));
      ps.setTimestamp(2, Timestamp.from(closes));
      ps.setObject(3, id);
      return ps.executeUpdate() == 1;
    }
  }

  /** The approval whose open window covers all of {@code classes}, if any. */
  Optional<UUID> window(
      String issuer, String subject, String database, List<String> classes, Instant now)
      throws SQLException {
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT approval_id FROM approval_window WHERE requester_issuer = ?"
                    + " AND requester_subject = ? AND database_name = ? AND opens_at <= ?"
                    + " AND closes_at > ? AND statement_classes @> ?::jsonb"
                    + " ORDER BY closes_at DESC LIMIT 1")) {
      ps.setString(1, issuer);
      ps.setString(2, subject);
      ps.setString(3, database);
      ps.setTimestamp(4, Timestamp.from(now));
      ps.setTimestamp(5, Timestamp.from(now));
      ps.setString(6, JSON.writeValueAsString(classes));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }

  /** Expires every pending or approved request whose time is up, and announces each. */
  List<ApprovalRequest> expireDue(Instant now) throws SQLException {
    return inTransaction(
        c -> {
          List<ApprovalRequest> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE approval_request SET state = 'EXPIRED'"
                      + " WHERE state IN ('PENDING', 'APPROVED') AND expires_at <= ? RETURNING "
                      + COLUMNS)) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(map(rs).request());
              }
            }
          }
          notify(c, out.stream().map(ApprovalRequest::id).toList());
          return out;
        });
  }

  private void notify(Connection c, List<UUID> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      for (UUID id : ids) {
        ps.setString(1, channel);
        ps.setString(2, id.toString());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static Stored map(ResultSet rs) throws SQLException {
    List<String> params = JSON.readValue(rs.getString(8), new TypeReference<List<String>>() {});
    ApprovalRequest r =
        new ApprovalRequest(
            rs.getObject(1, UUID.class),
            ApprovalState.valueOf(rs.getString(2)),
            rs.getString(3),
            rs.getString(4),
            JSON.readValue(rs.getString(5), new TypeReference<LinkedHashMap<String, String>>() {}),
            rs.getString(6),
            rs.getString(7),
            // The record cannot hold a null; approvers see SQL NULL spelled out.
            params.stream().map(p -> p == null ? "NULL" : p).toList(),
            JSON.readValue(rs.getString(9), new TypeReference<List<String>>() {}),
            rs.getString(10),
            instant(rs, 11),
            instant(rs, 12),
            rs.getString(13),
            instant(rs, 14),
            rs.getString(15));
    return new Stored(r, params);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
