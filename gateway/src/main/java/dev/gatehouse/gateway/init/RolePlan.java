package dev.gatehouse.gateway.init;

import dev.gatehouse.engine.policy.DatabaseConfig;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Glob;
import dev.gatehouse.engine.policy.Grant;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.Rule;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.testkit.UpstreamRoleSql;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The upstream roles a policy needs, with least privilege derived from its grants: a role reads
 * what the grants naming it read, writes what they write, and owns a schema only when a grant lets
 * it run DDL there. Catalog patterns ({@code pg_catalog.*}, {@code information_schema.*}) need no
 * grant: PostgreSQL lets every role read them.
 */
public final class RolePlan {

  private static final Set<String> CATALOGS = Set.of("pg_catalog", "information_schema");

  /** One governed database and the roles to create in it. */
  public record Target(DatabaseConfig database, List<UpstreamRoleSql.Role> roles) {}

  private RolePlan() {}

  /** The targets of {@code policy}: every database and every role its grants use. */
  public static List<Target> of(Policy policy) {
    List<Target> out = new ArrayList<>();
    for (DatabaseConfig db : policy.databases().values()) {
      List<UpstreamRoleSql.Role> roles = new ArrayList<>();
      db.roles().forEach((key, credentials) -> roles.add(role(policy, db, key, credentials)));
      out.add(new Target(db, roles));
    }
    return out;
  }

  private static UpstreamRoleSql.Role role(
      Policy policy, DatabaseConfig db, String key, DatabaseConfig.Credentials credentials) {
    Set<String> readSchemas = new HashSet<>();
    Set<String> readTables = new HashSet<>();
    Set<String> writeTables = new HashSet<>();
    Set<String> owned = new HashSet<>();
    boolean readOnly = true;
    boolean used = false;
    for (Rule rule : policy.rules()) {
      if (rule.effect() == Effect.DENY) {
        continue;
      }
      for (Grant g : rule.grants()) {
        if (!g.database().equals(db.name()) || !key.equals(g.upstreamRole())) {
          continue;
        }
        used = true;
        readOnly &= g.readOnly();
        boolean ddl = g.classes().contains(StatementClass.DDL);
        for (Glob glob : g.read()) {
          add(glob, readSchemas, readTables, ddl ? owned : null, rule);
        }
        for (Glob glob : g.write()) {
          if (ddl) {
            add(glob, owned, writeTables, owned, rule);
          } else if (glob.isLiteral()) {
            writeTables.add(glob.pattern());
          } else {
            throw new IllegalArgumentException(
                "rule `"
                    + rule.id()
                    + "` writes `"
                    + glob.pattern()
                    + "` without ddl; init grants writes to named tables only, so name them");
          }
        }
      }
    }
    if (!used) {
      readOnly = true; // a role no grant names gets nothing but a read-only login
    }
    readSchemas.removeAll(owned);
    return new UpstreamRoleSql.Role(
        credentials.user(),
        credentials.password(),
        readSchemas,
        readTables,
        writeTables,
        owned,
        readOnly && owned.isEmpty());
  }

  /** {@code s.*} adds schema {@code s}, {@code s.t} table {@code s.t}; catalogs are skipped. */
  private static void add(
      Glob glob, Set<String> schemas, Set<String> tables, Set<String> owned, Rule rule) {
    String p = glob.pattern();
    int dot = p.indexOf('.');
    String schema = dot < 0 ? p : p.substring(0, dot);
    if (CATALOGS.contains(schema)) {
      return;
    }
    if (p.endsWith(".*") && schema.indexOf('*') < 0) {
      (owned != null ? owned : schemas).add(schema);
    } else if (glob.isLiteral() && dot > 0) {
      tables.add(p);
      if (owned != null) {
        owned.add(schema);
      }
    } else {
      throw new IllegalArgumentException(
          "rule `"
              + rule.id()
              + "` names `"
              + p
              + "`; init derives grants from `schema.*` and `schema.table` only");
    }
  }
}
