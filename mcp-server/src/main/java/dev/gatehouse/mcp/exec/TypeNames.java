package dev.gatehouse.mcp.exec;

import dev.gatehouse.engine.masking.ResultColumn;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.postgresql.core.BaseConnection;

/**
 * A result column's type as PostgreSQL's {@code format_type} names it ({@code bigint}, {@code
 * timestamp with time zone}, {@code integer[]}), from the type OID the wire reported. The driver's
 * own column type name guesses {@code bigserial} from a column default, which is no type.
 */
final class TypeNames {

  private static final Map<String, String> SQL_NAMES =
      Map.ofEntries(
          Map.entry("int2", "smallint"),
          Map.entry("int4", "integer"),
          Map.entry("int8", "bigint"),
          Map.entry("float4", "real"),
          Map.entry("float8", "double precision"),
          Map.entry("bool", "boolean"),
          Map.entry("varchar", "character varying"),
          Map.entry("bpchar", "character"),
          Map.entry("varbit", "bit varying"),
          Map.entry("timestamp", "timestamp without time zone"),
          Map.entry("timestamptz", "timestamp with time zone"),
          Map.entry("time", "time without time zone"),
          Map.entry("timetz", "time with time zone"));

  private TypeNames() {}

  static String of(Connection c, ResultColumn column) throws SQLException {
    String internal = c.unwrap(BaseConnection.class).getTypeInfo().getPGType(column.typeOid());
    return internal == null ? "unknown" : sqlName(internal);
  }

  static String sqlName(String internal) {
    if (internal.startsWith("_")) {
      return sqlName(internal.substring(1)) + "[]";
    }
    return SQL_NAMES.getOrDefault(internal, internal);
  }
}
