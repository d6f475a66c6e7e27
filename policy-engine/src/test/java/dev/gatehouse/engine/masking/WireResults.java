package dev.gatehouse.engine.masking;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.core.Field;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.Tuple;
import org.postgresql.jdbc.PgConnection;

/**
 * Runs SQL through pgjdbc's protocol layer and keeps each result exactly as the wire carried it:
 * the RowDescription fields and the DataRow cells' bytes, in text or (forced) binary format.
 */
final class WireResults {

  /** One result: its columns as RowDescription described them and its rows' raw cells. */
  record Result(List<ResultColumn> columns, List<byte[][]> rows) {}

  private WireResults() {}

  /** Every row-returning result of {@code sql}, all columns in text format. */
  static List<Result> text(Connection c, String sql) throws SQLException {
    QueryExecutor qe = c.unwrap(PgConnection.class).getQueryExecutor();
    Handler h = new Handler();
    qe.execute(
        qe.createSimpleQuery(sql),
        null,
        h,
        0,
        0,
        flags(c) | QueryExecutor.QUERY_ONESHOT | QueryExecutor.QUERY_NO_BINARY_TRANSFER);
    h.handleCompletion();
    return h.results;
  }

  /** The results of one statement with every column in binary format. */
  static List<Result> binary(Connection c, String sql) throws SQLException {
    QueryExecutor qe = c.unwrap(PgConnection.class).getQueryExecutor();
    Query query = qe.createSimpleQuery(sql);
    for (ResultColumn column : describe(c, query)) {
      qe.addBinaryReceiveOid(column.typeOid());
    }
    Handler h = new Handler();
    qe.execute(query, null, h, 0, 0, flags(c));
    h.handleCompletion();
    return h.results;
  }

  /** The columns {@code sql} would return (Parse/Describe, nothing executed). */
  static List<ResultColumn> describe(Connection c, String sql) throws SQLException {
    QueryExecutor qe = c.unwrap(PgConnection.class).getQueryExecutor();
    return describe(c, qe.createSimpleQuery(sql));
  }

  private static List<ResultColumn> describe(Connection c, Query query) throws SQLException {
    QueryExecutor qe = c.unwrap(PgConnection.class).getQueryExecutor();
    Handler h = new Handler();
    qe.execute(query, null, h, 0, 0, flags(c) | QueryExecutor.QUERY_DESCRIBE_ONLY);
    h.handleCompletion();
    return h.results.isEmpty() ? List.of() : h.results.getFirst().columns();
  }

  /**
   * Sends {@code value} as a binary parameter of type {@code typeOid}: PostgreSQL runs the type's
   * receive function on it, which fails for a value that is not valid binary of that type.
   */
  static void bindBinary(Connection c, byte[] value, int typeOid) throws SQLException {
    QueryExecutor qe = c.unwrap(PgConnection.class).getQueryExecutor();
    Query query = qe.createQuery("SELECT ?", false, true).query;
    org.postgresql.core.ParameterList params = query.createParameterList();
    params.setBinaryParameter(1, value, typeOid);
    Handler h = new Handler();
    qe.execute(query, params, h, 0, 0, flags(c) | QueryExecutor.QUERY_ONESHOT);
    h.handleCompletion();
  }

  private static int flags(Connection c) throws SQLException {
    return c.getAutoCommit() ? QueryExecutor.QUERY_SUPPRESS_BEGIN : 0;
  }

  private static final class Handler extends ResultHandlerBase {
    final List<Result> results = new ArrayList<>();

    @Override
    public void handleResultRows(
        Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
      List<ResultColumn> columns = new ArrayList<>();
      for (Field f : fields) {
        columns.add(
            new ResultColumn(
                f.getColumnLabel(),
                f.getTableOid(),
                f.getPositionInTable(),
                f.getOID(),
                f.getLength(),
                f.getMod(),
                f.getFormat()));
      }
      List<byte[][]> rows = new ArrayList<>();
      for (Tuple t : tuples) {
        byte[][] row = new byte[t.fieldCount()][];
        for (int i = 0; i < row.length; i++) {
          row[i] = t.get(i);
        }
        rows.add(row);
      }
      results.add(new Result(List.copyOf(columns), rows));
    }
  }
}
