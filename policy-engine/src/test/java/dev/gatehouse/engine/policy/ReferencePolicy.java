package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.ReferencePolicyFixture;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference policy ({@code examples/reference-policy.yaml}, through testkit) with its {@code
 * ${env:..}} references bound to the real test issuer and the real test PostgreSQL's upstream
 * roles.
 */
public final class ReferencePolicy {

  private static Path file;

  private ReferencePolicy() {}

  /** The environment the fixture reads: issuer URL, upstream host, port and role passwords. */
  public static Map<String, String> environment() {
    return ReferencePolicyFixture.environment();
  }

  /** The documented example, written to a temporary file once per JVM. */
  public static synchronized Path file() {
    if (file == null) {
      try {
        Path dir = java.nio.file.Files.createTempDirectory("gatehouse-policy-");
        dir.toFile().deleteOnExit();
        file = ReferencePolicyFixture.writeTo(dir.resolve("reference-policy.yaml"));
        file.toFile().deleteOnExit();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return file;
  }

  public static Policy load() {
    return new PolicyLoader(environment()::get).load(file());
  }

  /**
   * The principal the identity verifier makes of a reference principal's token: the trusted issuer,
   * its subject and groups, and for the ETL job the claims of its client-credentials token.
   */
  public static Principal principal(ReferencePrincipal p) {
    Map<String, Object> claims = new HashMap<>();
    claims.put("sub", p.subject());
    claims.put("groups", p.groups());
    claims.put("aud", List.of(TestIssuer.AUDIENCE));
    if (p.workload()) {
      claims.put("client_id", p.subject());
      claims.put("repository", "shop/etl-jobs");
      claims.put("ref", "refs/heads/main");
    } else {
      claims.put("email", p.subject() + "@shop.example");
      claims.put("name", p.subject());
    }
    return new Principal(
        TestIssuer.get().issuerUrl(),
        p.subject(),
        p.workload() ? Principal.Kind.WORKLOAD : Principal.Kind.PERSON,
        java.util.Set.copyOf(p.groups()),
        p.workload() ? p.subject() : null,
        claims,
        Instant.now().plusSeconds(3600));
  }
}
