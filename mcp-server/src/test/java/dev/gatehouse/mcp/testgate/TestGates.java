package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.DefaultGate;
import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.UpstreamTarget;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link DefaultGate} made of test doubles for the engine parts still being written (analyser,
 * policy, mask planner, audit, approvals) and real ones for the rest: tokens verified with Nimbus
 * against {@link TestIssuer}, statements run on {@link TestPostgres}.
 */
public final class TestGates {

  private TestGates() {}

  /** The gate and the in-memory parts tests inspect. */
  public record Fixture(Gate gate, MemoryAudit audit, MemoryApprovals approvals) {}

  /** A gate over this JVM's {@link TestIssuer} and {@link TestPostgres}. */
  public static Fixture create() {
    TestIssuer issuer = TestIssuer.get();
    TestPostgres pg = TestPostgres.get();
    return create(
        issuer.issuerUrl(),
        issuer.jwksUrl(),
        pg.host(),
        pg.port(),
        Map.of("reader", pg.reader(), "writer", pg.writer()));
  }

  /** A gate over an issuer and a PostgreSQL server started elsewhere (another process). */
  public static Fixture create(
      String issuerUrl,
      String jwksUrl,
      String pgHost,
      int pgPort,
      Map<String, TestPostgres.UpstreamRole> roles) {
    MemoryAudit audit = new MemoryAudit();
    MemoryApprovals approvals = new MemoryApprovals("dba", Duration.ofMinutes(5));
    Gate gate =
        new DefaultGate(
            new TestTokenVerifier(issuerUrl, jwksUrl, TestIssuer.AUDIENCE),
            new KeywordAnalyzer(),
            new GroupRules(),
            new NameMaskPlanner(),
            audit,
            approvals,
            (database, role) -> {
              TestPostgres.UpstreamRole r = roles.get(role);
              if (r == null) {
                throw new IllegalArgumentException("no upstream role `" + role + "`");
              }
              return new UpstreamTarget(pgHost, pgPort, database, r.name(), r.password());
            },
            Clock.systemUTC());
    return new Fixture(gate, audit, approvals);
  }
}
