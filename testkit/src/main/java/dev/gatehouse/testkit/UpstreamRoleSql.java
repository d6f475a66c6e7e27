package dev.gatehouse.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The SQL that creates an upstream role of the gateway with least privilege: what its grants read
 * and write, nothing else. Used by {@code gatehouse init} (derived from the policy) and by the test
 * PostgreSQL (the reference roles), so both create the same roles. It sits here, in a module every
 * other one may use; it depends on nothing of the policy.
 */
public final class UpstreamRoleSql {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

  /**
   * What one upstream role may do.
   *
   * @param readSchemas schemas whose every table the role reads ({@code app.*})
   * @param readTables single tables it reads ({@code app.orders})
   * @param writeTables tables it inserts into, updates and deletes from (with their sequences)
   * @param ownedSchemas schemas whose objects it owns: approved DDL runs as it
   * @param readOnly sessions start read-only (defence in depth behind the policy)
   */
  public record Role(
      String name,
      String password,
      Set<String> readSchemas,
      Set<String> readTables,
      Set<String> writeTables,
      Set<String> ownedSchemas,
      boolean readOnly) {
    public Role {
      requireName(name);
      readSchemas = new TreeSet<>(readSchemas);
      readTables = new TreeSet<>(readTables);
      writeTables = new TreeSet<>(writeTables);
      ownedSchemas = new TreeSet<>(ownedSchemas);
      readSchemas.forEach(UpstreamRoleSql::requireName);
      ownedSchemas.forEach(UpstreamRoleSql::requireName);
      readTables.forEach(UpstreamRoleSql::requireTable);
      writeTables.forEach(UpstreamRoleSql::requireTable);
    }

    @Override
    public String toString() {
      return "Role[" + name + "]";
    }
  }

  private UpstreamRoleSql() {}

  /** Cluster level, run once per server: the login role and its password, idempotent. */
  public static List<String> role(Role r) {
    List<String> out = new ArrayList<>();
    out.add(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
            + r.name()
            + "') THEN CREATE ROLE "
            + r.name()
            + " LOGIN; END IF; END $$");
    out.add(
        "ALTER ROLE "
            + r.name()
            + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD "
            + literal(r.password()));
    out.add(
        "ALTER ROLE "
            + r.name()
            + (r.readOnly()
                ? " SET default_transaction_read_only = on"
                : " RESET default_transaction_read_only"));
    return out;
  }

  /** Database level, run in each governed database: ownership and grants, idempotent. */
  public static List<String> grants(Role r, String database) {
    List<String> out = new ArrayList<>();
    out.add("GRANT CONNECT ON DATABASE " + quote(database) + " TO " + r.name());
    for (String schema : r.ownedSchemas()) {
      // the owner owns the schema and everything in it, so approved DDL can change any of it
      out.add(
          "DO $$ DECLARE o record; BEGIN"
              + " IF EXISTS (SELECT FROM pg_namespace WHERE nspname = '"
              + schema
              + "') THEN EXECUTE 'ALTER SCHEMA "
              + schema
              + " OWNER TO "
              + r.name()
              + "'; FOR o IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
              + schema
              + "' AND c.relkind IN ('r','p','v','m','S','f')"
              // a column's own sequence follows its table
              + " AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid"
              + " AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a','i'))"
              + " LOOP EXECUTE format('ALTER %s %s"
              + " OWNER TO "
              + r.name()
              + "', CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN"
              + " 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, o.name);"
              + " END LOOP; END IF; END $$");
    }
    Set<String> usage = new TreeSet<>(r.readSchemas());
    r.readTables().forEach(t -> usage.add(t.substring(0, t.indexOf('.'))));
    r.writeTables().forEach(t -> usage.add(t.substring(0, t.indexOf('.'))));
    usage.removeAll(r.ownedSchemas());
    for (String schema : usage) {
      out.add("GRANT USAGE ON SCHEMA " + schema + " TO " + r.name());
    }
    for (String schema : r.readSchemas()) {
      if (!r.ownedSchemas().contains(schema)) {
        out.add("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + r.name());
      }
    }
    for (String table : r.readTables()) {
      out.add("GRANT SELECT ON " + table + " TO " + r.name());
    }
    for (String table : r.writeTables()) {
      if (r.ownedSchemas().contains(table.substring(0, table.indexOf('.')))) {
        continue;
      }
      out.add("GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + " TO " + r.name());
      // the sequences behind the table's serial and identity columns, and no others
      out.add(
          "DO $$ DECLARE s regclass; BEGIN FOR s IN SELECT d.objid::regclass FROM pg_depend d"
              + " JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'S'"
              + " WHERE d.refobjid = '"
              + table
              + "'::regclass AND d.deptype IN ('a','i') LOOP"
              + " EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO "
              + r.name()
              + "', s); END LOOP; END $$");
    }
    return out;
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "`" + name + "` is not a plain lower-case PostgreSQL name; init creates only those");
    }
  }

  private static void requireTable(String table) {
    int dot = table.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("`" + table + "` is not a schema-qualified table");
    }
    requireName(table.substring(0, dot));
    requireName(table.substring(dot + 1));
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
