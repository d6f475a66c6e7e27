package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.DefaultGate;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.sql.CachingSqlAnalyzer;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.testkit.ReferencePolicyFixture;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link DefaultGate} with the engine's real verifier, SQL analyser and policy evaluator over the
 * reference policy (testkit's fixture of the documented example, one source of truth), and test
 * doubles for the parts not on main yet: mask planner, audit trail, approvals.
 */
public final class ReferenceGates {

  private ReferenceGates() {}

  /**
   * The gate over the reference policy, with the logical database {@code shop} pointing at the
   * physical database {@code physicalDatabase} (a private copy for tests that write).
   */
  /** Base columns by (table OID, attribute number), read once from the catalog as the admin. */
  private static NameMaskPlanner.Catalog columns(TestPostgres pg, String physicalDatabase) {
    Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    try (java.sql.Connection c = pg.connectAsAdmin(physicalDatabase);
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery(
                "SELECT a.attrelid::int, a.attnum, n.nspname || '.' || c.relname || '.' || a.attname"
                    + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'app' AND a.attnum > 0")) {
      while (rs.next()) {
        names.put(rs.getInt(1) + ":" + rs.getInt(2), rs.getString(3));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot read the catalog of " + physicalDatabase, e);
    }
    return (database, oid, attribute) -> names.get(oid + ":" + attribute);
  }

  /** The reference policy's text with the logical database {@code shop} on {@code physical}. */
  public static String policyFor(String physical) {
    String yaml = ReferencePolicyFixture.text();
    String pointed = yaml.replace("    database: shop\n", "    database: " + physical + "\n");
    if (pointed.equals(yaml) && !physical.equals("shop")) {
      throw new IllegalStateException("the reference policy no longer has `database: shop`");
    }
    return pointed;
  }

  /** The environment the reference policy's {@code ${env:...}} references resolve from. */
  public static Map<String, String> environment() {
    return ReferencePolicyFixture.environment();
  }

  public static TestGates.Fixture create(String physicalDatabase) {
    TestPostgres pg = TestPostgres.get();
    Path file;
    try {
      file = Files.createTempFile("reference-policy-", ".yaml");
      Files.writeString(file, policyFor(physicalDatabase));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Policy policy = new PolicyLoader(environment()::get).load(file);
    MemoryAuditTrail audit = new MemoryAuditTrail();
    MemoryApprovalService approvals =
        MemoryApprovalService.approvedBy("dba", Duration.ofMinutes(5));
    DefaultGate gate =
        new DefaultGate(
            new JwtTokenVerifier(policy.issuers()),
            new CachingSqlAnalyzer(new PostgresSqlAnalyzer(), 10_000),
            new RulePolicyEvaluator(policy),
            new NameMaskPlanner(columns(pg, physicalDatabase)),
            audit,
            approvals,
            policy,
            Clock.systemUTC());
    return new TestGates.Fixture(gate, audit, approvals);
  }
}
