package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.TableRef;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Principals, statements and control databases for audit and approval tests. */
public final class AuditFixtures {

  private AuditFixtures() {}

  /** A principal of the reference policy, as the trusted test issuer vouches for it. */
  public static Principal principal(ReferencePrincipal p) {
    return new Principal(
        TestIssuer.get().issuerUrl(),
        p.subject(),
        p.workload() ? Principal.Kind.WORKLOAD : Principal.Kind.PERSON,
        Set.copyOf(p.groups()),
        p.workload() ? p.subject() : "gatehouse-cli",
        Map.of("sub", p.subject()),
        Instant.now().plus(Duration.ofHours(1)));
  }

  public static RequestContext context(String database) {
    return new RequestContext(Channel.WIRE, database, "psql", "127.0.0.1:50432", Instant.now());
  }

  /** A one-statement analysis. */
  public static Analysis analysis(
      String sql,
      String tag,
      StatementClass cls,
      Set<String> read,
      Set<String> written,
      Set<RiskFlag> flags) {
    StatementInfo s =
        new StatementInfo(
            sql, tag, cls, refs(read), refs(written), Set.of(), Map.of(), flags, List.of());
    return new Analysis(sql, List.of(s), sql);
  }

  public static Decision decision(Effect effect, String... ruleIds) {
    return new Decision(
        effect,
        List.of(ruleIds),
        "because rule " + String.join(", ", ruleIds),
        Obligations.NONE,
        "rev-1");
  }

  /** A read of {@code app.customers} by {@code who}, allowed by rule {@code analysts-read}. */
  public static StatementEvent read(
      Principal who, String database, String sql, List<String> params) {
    return new StatementEvent(
        who,
        context(database),
        "conn-1",
        sql,
        params,
        analysis(sql, "SELECT", StatementClass.READ, Set.of("app.customers"), Set.of(), Set.of()),
        decision(Effect.ALLOW, "analysts-read"),
        null);
  }

  public static AuditKey randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return AuditKey.of(key);
  }

  /** A fresh, empty control database on the shared test server, migrated. */
  public static ControlDatabase controlDatabase() {
    TestPostgres pg = TestPostgres.get();
    String name = pg.createEmptyDatabase("audit");
    return ControlDatabase.open(
        ControlDatabase.Settings.of(pg.jdbcUrl(name), pg.adminUser(), pg.adminPassword()));
  }

  /**
   * Defaults, but a durable timeout long enough for a loaded shared test machine: tests that are
   * about completeness must not fail on a slow commit (the outage tests set their own).
   */
  public static AuditConfig config(String instanceId, AuditKey key, Path spool) {
    AuditConfig d = AuditConfig.defaults(instanceId, key, spool);
    return d.withTimings(d.batchWindow(), Duration.ofSeconds(30), d.retryInterval());
  }

  public static UUID uuid() {
    return UUID.randomUUID();
  }

  private static Set<TableRef> refs(Set<String> names) {
    return Set.copyOf(names.stream().map(TableRef::of).toList());
  }
}
