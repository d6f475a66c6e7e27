package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.DefaultGate;
import dev.gatehouse.engine.UpstreamTarget;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.time.Clock;

/**
 * A {@link DefaultGate} assembled from test doubles of the engine parts that are not on main yet
 * (verifier, analyser, policy, masking, audit, approvals), wired to the real test PostgreSQL and
 * the real test issuer.
 */
public final class TestGates {

  /** The gate and the doubles a test may inspect or steer. */
  public record Assembly(
      DefaultGate gate, KeywordPolicy policy, MemoryAuditTrail audit, MemoryApprovals approvals) {}

  private TestGates() {}

  public static Assembly create() {
    TestPostgres pg = TestPostgres.get();
    KeywordPolicy policy = new KeywordPolicy();
    MemoryAuditTrail audit = new MemoryAuditTrail();
    MemoryApprovals approvals = new MemoryApprovals();
    DefaultGate gate =
        new DefaultGate(
            new IssuerTokenVerifier(TestIssuer.get()),
            new KeywordAnalyzer(),
            policy,
            new NameMaskPlanner(),
            audit,
            approvals,
            (database, role) -> {
              TestPostgres.UpstreamRole r =
                  switch (role) {
                    case "gatehouse_reader" -> pg.reader();
                    case "gatehouse_writer" -> pg.writer();
                    case "gatehouse_owner" -> pg.owner();
                    default ->
                        throw new IllegalArgumentException("no upstream role `" + role + "`");
                  };
              return new UpstreamTarget(pg.host(), pg.port(), database, r.name(), r.password());
            },
            Clock.systemUTC());
    return new Assembly(gate, policy, audit, approvals);
  }
}
