package dev.gatehouse.mcp.exec;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads relation metadata from PostgreSQL's catalog for {@code describe}. It reads names first;
 * details are read only for relations the caller may read.
 */
public final class Catalog {

  private static final int MAX_RELATIONS = 1000;

  private final UpstreamPools pools;

  public Catalog(UpstreamPools pools) {
    this.pools = pools;
  }

  /** A table, view or other relation. */
  public record Relation(
      long oid, String schema, String name, String kind, String comment, Long estimatedRows) {}

  /** A column of a relation. */
  public record Column(
      int number,
      String name,
      String type,
      boolean nullable,
      String comment,
      int typeOid,
      int typeSize,
      int typeModifier) {}

  /** A primary key, unique or foreign key constraint. */
  public record Constraint(String name, String type, List<String> columns, String definition) {}

  /** Details of one relation. */
  public record Details(List<Column> columns, List<Constraint> constraints) {}

  /** Relations outside the system schemas, optionally narrowed to one schema and/or name. */
  public List<Relation> relations(String database, String role, String schema, String table)
      throws SQLException {
    String sql =
        """
        SELECT c.oid, n.nspname, c.relname, c.relkind,
               obj_description(c.oid, 'pg_class'), c.reltuples::bigint
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%%'
           AND (?::text IS NULL OR n.nspname = ?::text)
           AND (?::text IS NULL OR c.relname = ?::text)
         ORDER BY n.nspname, c.relname
         LIMIT %d
        """
            .formatted(MAX_RELATIONS);
    try (Connection c = open(database, role);
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      ps.setString(2, schema);
      ps.setString(3, table);
      ps.setString(4, table);
      List<Relation> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long rows = rs.getLong(6);
          out.add(
              new Relation(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  kind(rs.getString(4)),
                  rs.getString(5),
                  rows < 0 ? null : rows));
        }
      }
      c.commit();
      return out;
    }
  }

  /** Columns and key constraints of the relations {@code oids}. */
  public Map<Long, Details> details(String database, String role, List<Long> oids)
      throws SQLException {
    Map<Long, List<Column>> columns = new LinkedHashMap<>();
    Map<Long, List<Constraint>> constraints = new LinkedHashMap<>();
    oids.forEach(
        oid -> {
          columns.put(oid, new ArrayList<>());
          constraints.put(oid, new ArrayList<>());
        });
    try (Connection c = open(database, role)) {
      Array ids = c.createArrayOf("int8", oids.toArray());
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              SELECT a.attrelid::bigint, a.attnum, a.attname,
                     pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                     pg_catalog.col_description(a.attrelid, a.attnum),
                     a.atttypid::int, a.attlen, a.atttypmod
                FROM pg_catalog.pg_attribute a
               WHERE a.attrelid = ANY(?::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
               ORDER BY a.attrelid, a.attnum
              """)) {
        ps.setArray(1, ids);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            columns
                .get(rs.getLong(1))
                .add(
                    new Column(
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getBoolean(5),
                        rs.getString(6),
                        rs.getInt(7),
                        rs.getInt(8),
                        rs.getInt(9)));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              SELECT con.conrelid::bigint, con.conname, con.contype,
                     ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                             JOIN pg_catalog.pg_attribute a
                               ON a.attrelid = con.conrelid AND a.attnum = k.num
                            ORDER BY k.ord)::text[],
                     pg_catalog.pg_get_constraintdef(con.oid)
                FROM pg_catalog.pg_constraint con
               WHERE con.conrelid = ANY(?::oid[]) AND con.contype IN ('p', 'u', 'f')
               ORDER BY con.conrelid, con.contype, con.conname
              """)) {
        ps.setArray(1, ids);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String[] names = (String[]) rs.getArray(4).getArray();
            constraints
                .get(rs.getLong(1))
                .add(
                    new Constraint(
                        rs.getString(2),
                        constraintType(rs.getString(3)),
                        List.of(names),
                        rs.getString(5)));
          }
        }
      }
      c.commit();
    }
    Map<Long, Details> out = new LinkedHashMap<>();
    for (Long oid : oids) {
      out.put(oid, new Details(columns.get(oid), constraints.get(oid)));
    }
    return out;
  }

  private Connection open(String database, String role) throws SQLException {
    Connection c = pools.connect(database, role);
    try {
      c.setReadOnly(true);
      pools.sessions().forget(c);
      try (Statement s = c.createStatement()) {
        s.execute(SessionSettings.reset()); // as StatementRunner resets a session
      }
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  private static String kind(String relkind) {
    return switch (relkind) {
      case "r" -> "table";
      case "p" -> "partitioned_table";
      case "v" -> "view";
      case "m" -> "materialized_view";
      case "f" -> "foreign_table";
      default -> "relation";
    };
  }

  private static String constraintType(String contype) {
    return switch (contype) {
      case "p" -> "primary_key";
      case "u" -> "unique";
      case "f" -> "foreign_key";
      default -> contype;
    };
  }
}
