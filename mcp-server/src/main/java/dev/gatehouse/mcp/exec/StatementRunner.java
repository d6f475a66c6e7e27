package dev.gatehouse.mcp.exec;

import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.Obligations;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one allowed message upstream under its decision's obligations: the decision's role, a
 * read-only transaction when required, the statement timeout, the row limit, and the mask plan
 * applied to every cell in text format.
 */
public final class StatementRunner {

  /** Rows per fetch while a bounded write's result is counted. */
  private static final int COUNT_FETCH = 1000;

  private final UpstreamPools pools;
  private final int maxCellChars;

  public StatementRunner(UpstreamPools pools, int maxCellChars) {
    this.pools = pools;
    this.maxCellChars = maxCellChars;
  }

  /**
   * What to run and how; {@code plainRead} when the message cannot change the session (see {@link
   * dev.gatehouse.engine.sql.PlainRead}), so the next call on this connection may skip its reset;
   * {@code rowBound} the most rows the message may change before it is rolled back (0: no bound).
   */
  public record Execution(
      String database,
      Obligations obligations,
      Duration statementTimeout,
      String sql,
      List<String> params,
      int rowLimit,
      Function<List<ResultColumn>, MaskPlan> maskPlans,
      boolean plainRead,
      long rowBound,
      List<Boolean> returnedRowsCount) {}

  /** A bounded message changed more rows than its bound: it was rolled back, nothing changed. */
  public static final class OverBound extends Exception {
    private final long rows;

    OverBound(long rows) {
      super("changed " + rows + " rows", null, false, false);
      this.rows = rows;
    }

    /** The rows it changed (every command tag's count, and every row it returned). */
    public long rows() {
      return rows;
    }
  }

  /**
   * Runs {@code exec}; a failure of the statement itself surfaces as the SQLException. A bounded
   * message runs in the call's own transaction, as every message does: its command tags and the
   * rows it returns are counted (as the wire proxy counts them), and past the bound the transaction
   * is rolled back instead of committed.
   *
   * @throws OverBound when a bounded message changed more rows than its bound (rolled back)
   */
  public QueryResult run(Execution exec) throws SQLException, OverBound {
    long started = System.nanoTime();
    Obligations ob = exec.obligations();
    try (Connection c = pools.connect(exec.database(), ob.upstreamRole())) {
      boolean done = false;
      try {
        c.setReadOnly(ob.readOnly());
        prepareSession(c, exec);
        long[] counted = {0};
        QueryResult result = execute(c, exec, started, counted);
        if (exec.rowBound() > 0 && counted[0] > exec.rowBound()) {
          c.rollback();
          done = true;
          throw new OverBound(counted[0]);
        }
        c.commit();
        done = true;
        return result;
      } finally {
        if (!done) {
          rollbackQuietly(c);
        }
        if (!done || !exec.plainRead()) {
          // It may have changed the session (SET, set_config, ...): reset now, not only when the
          // next caller takes the connection. A setting that acts while the connection waits in
          // the pool (idle_session_timeout: PostgreSQL closed it, and the next caller, of another
          // session, got 08006; red-team round 52) is gone before it can. The next caller skips
          // its own reset when it wants the same settings; should this one fail, it resets.
          pools.sessions().forget(c);
          try {
            prepareSession(c, exec);
          } catch (SQLException e) {
            pools.sessions().forget(c);
          }
        }
      }
    }
  }

  /**
   * A clean session for every call: whatever a previous caller's statements set is gone, the
   * timeout and read-only default hold even past a COMMIT inside the message. The reset is skipped
   * (one round trip fewer) when this connection was last reset to the same settings and has run
   * only plain reads since, which cannot change the session.
   */
  private void prepareSession(Connection c, Execution exec) throws SQLException {
    SessionSettings.Wanted wanted =
        new SessionSettings.Wanted(
            Math.max(1, exec.statementTimeout().toMillis()), exec.obligations().readOnly());
    if (pools.sessions().holds(c, wanted)) {
      return;
    }
    pools.sessions().forget(c);
    try (Statement s = c.createStatement()) {
      // pgjdbc sees DEALLOCATE ALL and prepares its statements again.
      s.execute(
          SessionSettings.reset()
              + "; SET statement_timeout = "
              + wanted.timeoutMillis()
              + "; SET default_transaction_read_only = "
              + (wanted.readOnly() ? "on" : "off"));
    }
    if (!c.getAutoCommit()) {
      // Committed before the caller's statements run: in the call's transaction, a message that
      // begins with ROLLBACK undid it and ran with the previous caller's search_path, role and
      // temporary objects (red-team round 51).
      c.commit();
    }
    pools.sessions().applied(c, wanted);
  }

  private QueryResult execute(Connection c, Execution exec, long started, long[] counted)
      throws SQLException {
    // A bounded write is counted to its last row (RETURNING gives one row per changed row), so the
    // driver may not stop at the row limit; it fetches in batches instead of holding every row.
    boolean countAll = exec.rowBound() > 0;
    int maxRows = countAll ? 0 : exec.rowLimit() + 1;
    Statement statement;
    boolean hasResult;
    if (exec.params().isEmpty()) {
      statement = c.createStatement();
      statement.setEscapeProcessing(false);
      statement.setMaxRows(maxRows);
      if (countAll) {
        statement.setFetchSize(COUNT_FETCH);
      }
      hasResult = statement.execute(text(() -> Placeholders.plain(exec.sql())));
    } else {
      Placeholders p = text(() -> Placeholders.rewrite(exec.sql()));
      if (p.highest() > exec.params().size()) {
        throw new SQLException(
            "the statement uses `$"
                + p.highest()
                + "` but only "
                + exec.params().size()
                + " parameter(s) were given",
            "08P02");
      }
      if (p.order().contains(0)) {
        // PostgreSQL's own answer to $0, before anything runs (red-team round 61: an internal
        // error, and no outcome in the trail)
        throw new SQLException("there is no parameter $0", "42P02");
      }
      PreparedStatement ps = c.prepareStatement(p.sql());
      for (int i = 0; i < p.order().size(); i++) {
        ps.setString(i + 1, exec.params().get(p.order().get(i) - 1));
      }
      ps.setMaxRows(maxRows);
      if (countAll) {
        ps.setFetchSize(COUNT_FETCH);
      }
      statement = ps;
      hasResult = ps.execute();
    }
    try (statement) {
      // A message of several statements gives a result per statement: each is kept (and masked
      // by its own columns' plan), the last one leads.
      List<QueryResult> results = new ArrayList<>();
      // The rows a read returns are not rows changed (red-team round 38): each result is matched
      // to its statement, and when the driver gave another number of results than the gateway
      // split, every row counts (more, never fewer).
      long changed = 0;
      List<Boolean> writes = exec.returnedRowsCount();
      while (true) {
        long before = counted[0];
        if (hasResult) {
          try (ResultSet rs = statement.getResultSet()) {
            results.add(read(rs, exec, started, counted));
          }
          int i = results.size() - 1;
          if (writes == null || i >= writes.size() || writes.get(i)) {
            changed += counted[0] - before;
          }
        } else {
          long count = statement.getLargeUpdateCount();
          if (count == -1) {
            break;
          }
          counted[0] += count;
          changed += count;
          results.add(noRows(count, started));
        }
        hasResult = statement.getMoreResults();
      }
      if (writes != null && results.size() == writes.size()) {
        counted[0] = changed;
      }
      if (results.isEmpty()) {
        return noRows(0, started);
      }
      QueryResult last = results.getLast();
      return new QueryResult(
          last.columns(),
          last.rows(),
          last.rowCount(),
          last.rowsCut(),
          last.cellsCut(),
          last.masks(),
          since(started),
          results.subList(0, results.size() - 1));
    }
  }

  private QueryResult read(ResultSet rs, Execution exec, long started, long[] counted)
      throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<ResultColumn> descriptors = ResultColumns.of(meta);
    MaskPlan plan = exec.maskPlans().apply(descriptors);
    int width = descriptors.size();
    boolean[] inspect = new boolean[width];
    for (int i = 0; i < width; i++) {
      inspect[i] = !plan.passesThrough() && plan.inspects(i);
    }
    List<List<String>> rows = new ArrayList<>();
    boolean rowsCut = false;
    boolean cellsCut = false;
    while (rs.next()) {
      counted[0]++;
      if (rows.size() == exec.rowLimit()) {
        rowsCut = true;
        if (exec.rowBound() <= 0) {
          break;
        }
        continue; // counted, not kept
      }
      String[] row = new String[width];
      for (int i = 0; i < width; i++) {
        String cell = rs.getString(i + 1);
        if (inspect[i]) {
          byte[] masked =
              plan.apply(i, cell == null ? null : cell.getBytes(StandardCharsets.UTF_8));
          cell = masked == null ? null : new String(masked, StandardCharsets.UTF_8);
        }
        if (cell != null && cell.length() > maxCellChars) {
          cell = cell.substring(0, maxCellChars);
          cellsCut = true;
        }
        row[i] = cell;
      }
      rows.add(Arrays.asList(row));
    }
    List<AppliedMask> masks = plan.applied();
    List<QueryResult.Column> columns = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      String name = descriptors.get(i).name();
      boolean masked = masks.stream().anyMatch(m -> name.equals(m.outputColumn()));
      columns.add(
          new QueryResult.Column(
              name, TypeNames.of(rs.getStatement().getConnection(), descriptors.get(i)), masked));
    }
    return new QueryResult(columns, rows, rows.size(), rowsCut, cellsCut, masks, since(started));
  }

  /** The text pgjdbc gets; one it cannot be given is refused as a syntax error, before it runs. */
  private static <T> T text(java.util.function.Supplier<T> rebuilt) throws SQLException {
    try {
      return rebuilt.get();
    } catch (IllegalArgumentException e) {
      throw new SQLException(e.getMessage(), "42601");
    }
  }

  private static QueryResult noRows(long count, long started) {
    return new QueryResult(List.of(), List.of(), count, false, false, List.of(), since(started));
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The pool discards a broken connection; the original failure is what the caller sees.
    }
  }
}
