package dev.gatehouse.mcp.exec;

import dev.gatehouse.engine.masking.ResultColumn;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.core.Field;
import org.postgresql.jdbc.PgResultSetMetaData;

/**
 * Reads a result's column descriptors as the wire reported them (RowDescription: table OID,
 * attribute number, type OID, size, modifier), which the mask planner needs.
 *
 * <p>pgjdbc keeps them in {@link Field}s, reachable only through a protected field of its metadata
 * class; the public {@code PGResultSetMetaData} offers base table and column names instead, which
 * cost a catalog query per result and lose the OIDs. If pgjdbc ever hides the field, this fails
 * loudly and results are refused rather than returned unmasked.
 */
public final class ResultColumns {

  private static final VarHandle FIELDS = fieldsHandle();

  private ResultColumns() {}

  /** The descriptors of every column of the result {@code meta} describes, text format. */
  public static List<ResultColumn> of(ResultSetMetaData meta) throws SQLException {
    if (FIELDS == null) {
      throw new SQLException("cannot read result column descriptors from the driver", "XX000");
    }
    PgResultSetMetaData pg = meta.unwrap(PgResultSetMetaData.class);
    Field[] fields = (Field[]) FIELDS.get(pg);
    List<ResultColumn> columns = new ArrayList<>(fields.length);
    for (Field f : fields) {
      columns.add(
          new ResultColumn(
              f.getColumnLabel(),
              f.getTableOid(),
              f.getPositionInTable(),
              f.getOID(),
              f.getLength(),
              f.getMod(),
              ResultColumn.TEXT));
    }
    return columns;
  }

  private static VarHandle fieldsHandle() {
    try {
      return MethodHandles.privateLookupIn(PgResultSetMetaData.class, MethodHandles.lookup())
          .findVarHandle(PgResultSetMetaData.class, "fields", Field[].class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
