package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.DefaultGate;
import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.IssuerConfig;
import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DefaultGate} made of test doubles for the engine parts still being written (analyser,
 * policy, mask planner, audit, approvals) and real ones for the rest: tokens verified by the
 * engine's {@link JwtTokenVerifier} against {@link TestIssuer}, statements run on {@link
 * TestPostgres}.
 */
public final class TestGates {

  private TestGates() {}

  /** The gate and the in-memory parts tests inspect. */
  public record Fixture(Gate gate, MemoryAuditTrail audit, ApprovalService approvals) {}

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
    MemoryAuditTrail audit = new MemoryAuditTrail();
    MemoryApprovalService approvals =
        MemoryApprovalService.approvedBy("dba", Duration.ofMinutes(5));
    Gate gate =
        new DefaultGate(
            new JwtTokenVerifier(
                List.of(
                    new IssuerConfig(
                        issuerUrl,
                        null,
                        URI.create(jwksUrl),
                        List.of(TestIssuer.AUDIENCE),
                        Set.of("RS256"),
                        Duration.ofSeconds(30),
                        "groups",
                        "client_id",
                        "client_id"))),
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
