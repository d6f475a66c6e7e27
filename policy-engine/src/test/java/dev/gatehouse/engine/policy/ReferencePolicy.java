package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference policy fixture ({@code policy/reference-policy.yaml}) with its {@code ${env:..}}
 * references bound to the real test issuer and the real test PostgreSQL's upstream roles.
 */
public final class ReferencePolicy {

  private ReferencePolicy() {}

  /** The environment the fixture reads: issuer URL, upstream host, port and role passwords. */
  public static Map<String, String> environment() {
    TestPostgres pg = TestPostgres.get();
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_ISSUER_URL", TestIssuer.get().issuerUrl());
    env.put("GATEHOUSE_PG_HOST", pg.host());
    env.put("GATEHOUSE_PG_PORT", String.valueOf(pg.port()));
    env.put("GATEHOUSE_READER_PASSWORD", pg.reader().password());
    env.put("GATEHOUSE_WRITER_PASSWORD", pg.writer().password());
    env.put("GATEHOUSE_OWNER_PASSWORD", pg.owner().password());
    return Map.copyOf(env);
  }

  public static Path file() {
    try {
      return Path.of(ReferencePolicy.class.getResource("/policy/reference-policy.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
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
