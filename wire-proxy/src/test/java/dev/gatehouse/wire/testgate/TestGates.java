package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.DefaultGate;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.IssuerConfig;
import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.upstream.UpstreamDirectory;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A {@link DefaultGate} with the real token verifier against the real test issuer, and test doubles
 * of the engine parts that are not on main yet (analyser, policy, masking, audit, approvals), wired
 * to the real test PostgreSQL.
 */
public final class TestGates {

  /** The gate and the doubles a test may inspect or steer. */
  public record Assembly(
      DefaultGate gate,
      KeywordPolicy policy,
      MemoryAuditTrail audit,
      MemoryApprovalService approvals,
      KeywordAnalyzer analyzer) {}

  private TestGates() {}

  public static Assembly create() {
    TestPostgres pg = TestPostgres.get();
    return create(
        (database, role) -> {
          TestPostgres.UpstreamRole r =
              switch (role) {
                case "gatehouse_reader" -> pg.reader();
                case "gatehouse_reader_cleared" -> pg.readerCleared();
                case "gatehouse_writer" -> pg.writer();
                case "gatehouse_owner" -> pg.owner();
                default -> throw new IllegalArgumentException("no upstream role `" + role + "`");
              };
          return new UpstreamTarget(pg.host(), pg.port(), database, r.name(), r.password());
        });
  }

  /** The same doubles over other upstreams (a full server, a host that never answers). */
  public static Assembly create(UpstreamDirectory upstreams) {
    KeywordPolicy policy = new KeywordPolicy();
    MemoryAuditTrail audit = new MemoryAuditTrail();
    // Approvers are the dba group; a test ends a request early with approvals().expire(id).
    MemoryApprovalService approvals =
        MemoryApprovalService.approvedBy("dba", Duration.ofMinutes(5));
    KeywordAnalyzer analyzer = new KeywordAnalyzer();
    DefaultGate gate =
        new DefaultGate(
            new JwtTokenVerifier(
                List.of(
                    new IssuerConfig(
                        TestIssuer.get().issuerUrl(),
                        null,
                        URI.create(TestIssuer.get().jwksUrl()),
                        List.of(TestIssuer.AUDIENCE),
                        Set.of("RS256"),
                        Duration.ofSeconds(5),
                        "groups",
                        "client_id",
                        "client_id"))),
            analyzer,
            policy,
            new NameMaskPlanner(),
            audit,
            approvals,
            upstreams,
            Clock.systemUTC());
    return new Assembly(gate, policy, audit, approvals, analyzer);
  }
}
