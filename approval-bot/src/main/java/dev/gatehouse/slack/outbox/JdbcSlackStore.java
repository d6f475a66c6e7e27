package dev.gatehouse.slack.outbox;

import dev.gatehouse.engine.approval.ApprovalState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A {@link SlackStore} in the control database, so message timestamps and undelivered Slack work
 * survive restarts and any gateway instance can deliver it: leases use {@code FOR UPDATE SKIP
 * LOCKED}, so two instances never post the same message at once. Its tables live in their own
 * schema with their own Flyway history, apart from the audit trail's.
 */
public final class JdbcSlackStore implements SlackStore {

  /** The schema used when none is configured. */
  public static final String DEFAULT_SCHEMA = "gatehouse_slack";

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final DataSource dataSource;
  private final String message;
  private final String outbox;

  private JdbcSlackStore(DataSource dataSource, String schema) {
    this.dataSource = dataSource;
    this.message = schema + ".slack_message";
    this.outbox = schema + ".slack_outbox";
  }

  /** Migrates {@code schema} (created if absent) and returns the store over it. */
  public static JdbcSlackStore open(DataSource dataSource, String schema) {
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "slack store schema `" + schema + "` must be a lower-case identifier");
    }
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(schema)
        .createSchemas(true)
        .table("flyway_slack_history")
        .locations("classpath:db/gatehouse-slack")
        .load()
        .migrate();
    return new JdbcSlackStore(dataSource, schema);
  }

  @Override
  public Optional<PostedMessage> message(UUID requestId) {
    List<PostedMessage> found =
        query(
            "SELECT request_id, channel, ts, shown_state FROM "
                + message
                + " WHERE request_id = ? AND ts IS NOT NULL",
            ps -> ps.setObject(1, requestId));
    return found.stream().findFirst();
  }

  @Override
  public void saveMessage(PostedMessage m) {
    update(
        "INSERT INTO "
            + message
            + " (request_id, channel, ts, shown_state) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (request_id) DO UPDATE SET channel = excluded.channel,"
            + " ts = excluded.ts, shown_state = excluded.shown_state, updated_at = now()",
        ps -> {
          ps.setObject(1, m.requestId());
          ps.setString(2, m.channel());
          ps.setString(3, m.ts());
          ps.setString(4, m.shownState().name());
        });
  }

  @Override
  public List<PostedMessage> messagesShowing(ApprovalState state) {
    return query(
        "SELECT request_id, channel, ts, shown_state FROM "
            + message
            + " WHERE shown_state = ? AND ts IS NOT NULL",
        ps -> ps.setString(1, state.name()));
  }

  @Override
  public Optional<ApprovalState> requesterNotified(UUID requestId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT requester_notified_state FROM " + message + " WHERE request_id = ?")) {
      ps.setObject(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null
            ? Optional.of(ApprovalState.valueOf(rs.getString(1)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void markRequesterNotified(UUID requestId, ApprovalState state) {
    update(
        "INSERT INTO "
            + message
            + " (request_id, requester_notified_state) VALUES (?, ?)"
            + " ON CONFLICT (request_id) DO UPDATE SET"
            + " requester_notified_state = excluded.requester_notified_state, updated_at = now()",
        ps -> {
          ps.setObject(1, requestId);
          ps.setString(2, state.name());
        });
  }

  @Override
  public void enqueue(UUID requestId, JobKind kind, Instant now) {
    update(
        "INSERT INTO "
            + outbox
            + " (request_id, kind, due_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (request_id, kind) DO UPDATE SET version = "
            + outbox
            + ".version + 1,"
            + " attempts = 0, due_at = excluded.due_at",
        ps -> {
          ps.setObject(1, requestId);
          ps.setString(2, kind.name());
          ps.setTimestamp(3, Timestamp.from(now));
        });
  }

  @Override
  public List<Job> lease(Instant now, Duration lease, int limit) {
    String sql =
        "UPDATE "
            + outbox
            + " o SET leased_until = ? FROM (SELECT request_id, kind FROM "
            + outbox
            + " WHERE due_at <= ? AND (leased_until IS NULL OR leased_until <= ?)"
            + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED) d"
            + " WHERE o.request_id = d.request_id AND o.kind = d.kind"
            + " RETURNING o.request_id, o.kind, o.attempts, o.version";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
      ps.setTimestamp(2, Timestamp.from(now));
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setInt(4, limit);
      List<Job> jobs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          jobs.add(
              new Job(
                  rs.getObject(1, UUID.class),
                  JobKind.valueOf(rs.getString(2)),
                  rs.getInt(3),
                  rs.getLong(4)));
        }
      }
      return jobs;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void done(Job job) {
    int deleted =
        update(
            "DELETE FROM " + outbox + " WHERE request_id = ? AND kind = ? AND version = ?",
            ps -> {
              ps.setObject(1, job.requestId());
              ps.setString(2, job.kind().name());
              ps.setLong(3, job.version());
            });
    if (deleted == 0) {
      // Enqueued again while it ran: keep it, due as enqueued, for the next round.
      update(
          "UPDATE " + outbox + " SET leased_until = NULL WHERE request_id = ? AND kind = ?",
          ps -> {
            ps.setObject(1, job.requestId());
            ps.setString(2, job.kind().name());
          });
    }
  }

  @Override
  public void retryAt(Job job, Instant next, String error) {
    update(
        "UPDATE "
            + outbox
            + " SET leased_until = NULL, last_error = ?,"
            + " attempts = CASE WHEN version = ? THEN ? ELSE attempts END,"
            + " due_at = CASE WHEN version = ? THEN ? ELSE due_at END"
            + " WHERE request_id = ? AND kind = ?",
        ps -> {
          ps.setString(1, error);
          ps.setLong(2, job.version());
          ps.setInt(3, job.attempts() + 1);
          ps.setLong(4, job.version());
          ps.setTimestamp(5, Timestamp.from(next));
          ps.setObject(6, job.requestId());
          ps.setString(7, job.kind().name());
        });
  }

  /** Jobs not yet done, for tests and health checks. */
  public int pendingJobs() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + outbox);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private int update(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private List<PostedMessage> query(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      List<PostedMessage> result = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(
              new PostedMessage(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getString(3),
                  ApprovalState.valueOf(rs.getString(4))));
        }
      }
      return result;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private static IllegalStateException failed(SQLException e) {
    return new IllegalStateException(
        "slack store in the control database failed: " + e.getMessage(), e);
  }
}
