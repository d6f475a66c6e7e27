package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.DefaultGate;
import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.policy.PolicyHolder;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.engine.sql.CachingSqlAnalyzer;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link DefaultGate} running the reference policy ({@code examples/reference-policy.yaml}) with
 * the engine's real token verifier, SQL analyser and policy evaluator; masking, audit and approvals
 * are still the test doubles until their implementations are on main.
 */
public final class ReferenceGates {

  /** The gate and the doubles a test may inspect or steer. */
  public record Assembly(
      DefaultGate gate, PolicyHolder policy, MemoryAuditTrail audit, MemoryApprovals approvals) {}

  private static final String SHOP_UPSTREAM = "    database: shop\n";

  private ReferenceGates() {}

  /**
   * The reference policy, its logical database {@code shop} pointing at {@code upstreamDatabase} (a
   * private copy for a test that changes data), with {@code extraRules} (YAML list items, indented
   * by two spaces) appended to its rules.
   */
  public static Assembly create(String upstreamDatabase, String extraRules) {
    String yaml;
    try {
      // The module directory when run by Maven, the repository root when run by the bench script.
      Path example = Path.of("..", "examples", "reference-policy.yaml");
      if (!Files.exists(example)) {
        example = Path.of("examples", "reference-policy.yaml");
      }
      yaml = Files.readString(example);
    } catch (IOException e) {
      throw new UncheckedIOException("the reference policy is read from ../examples", e);
    }
    if (!yaml.contains(SHOP_UPSTREAM) || !yaml.contains("\napprovals:")) {
      throw new IllegalStateException("the reference policy no longer has the expected layout");
    }
    yaml = yaml.replace(SHOP_UPSTREAM, "    database: ${env:GATEHOUSE_PG_DATABASE}\n");
    yaml = yaml.replace("\napprovals:", "\n" + extraRules + "\napprovals:");
    Path file;
    try {
      file = Files.createTempFile("gatehouse-policy-", ".yaml");
      Files.writeString(file, yaml);
      file.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestPostgres pg = TestPostgres.get();
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_ISSUER_URL", TestIssuer.get().issuerUrl());
    env.put("GATEHOUSE_PG_HOST", pg.host());
    env.put("GATEHOUSE_PG_PORT", String.valueOf(pg.port()));
    env.put("GATEHOUSE_PG_DATABASE", upstreamDatabase);
    env.put("GATEHOUSE_READER_PASSWORD", pg.reader().password());
    env.put("GATEHOUSE_WRITER_PASSWORD", pg.writer().password());
    env.put("GATEHOUSE_OWNER_PASSWORD", pg.owner().password());
    PolicyHolder policy = new PolicyHolder(file, new PolicyLoader(env::get));
    MemoryAuditTrail audit = new MemoryAuditTrail();
    MemoryApprovals approvals = new MemoryApprovals();
    DefaultGate gate =
        new DefaultGate(
            new JwtTokenVerifier(policy.policy().issuers()),
            new CachingSqlAnalyzer(new PostgresSqlAnalyzer(), 10_000),
            policy,
            new NameMaskPlanner(),
            audit,
            approvals,
            policy,
            Clock.systemUTC());
    return new Assembly(gate, policy, audit, approvals);
  }

  public static Assembly create() {
    return create(TestPostgres.SHOP, "");
  }
}
