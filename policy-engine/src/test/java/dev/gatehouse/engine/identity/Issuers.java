package dev.gatehouse.engine.identity;

import dev.gatehouse.testkit.TestIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Issuer configurations the identity tests share. */
final class Issuers {

  private Issuers() {}

  /** The real test issuer, found through OIDC discovery. */
  static IssuerConfig testIssuer() {
    TestIssuer t = TestIssuer.get();
    return new IssuerConfig(
        t.issuerUrl(),
        URI.create(t.discoveryUrl()),
        null,
        List.of(TestIssuer.AUDIENCE),
        Set.of("RS256"),
        Duration.ofSeconds(30),
        "groups",
        "client_id",
        "client_id");
  }

  /** The real test issuer, with its JWKS URL given directly. */
  static IssuerConfig testIssuerByJwks() {
    TestIssuer t = TestIssuer.get();
    return new IssuerConfig(
        t.issuerUrl(),
        null,
        URI.create(t.jwksUrl()),
        List.of(TestIssuer.AUDIENCE),
        Set.of("RS256"),
        Duration.ofSeconds(30),
        "groups",
        "client_id",
        "client_id");
  }

  /**
   * A loopback issuer, found through its discovery document, whose workloads carry `repository`.
   */
  static IssuerConfig loopback(LoopbackIssuer l) {
    return loopback(l.issuerUrl(), l.discoveryUrl());
  }

  static IssuerConfig loopback(String issuerUrl, URI discoveryUrl) {
    return new IssuerConfig(
        issuerUrl,
        discoveryUrl,
        null,
        List.of("gatehouse"),
        Set.of("RS256", "ES256"),
        Duration.ofSeconds(30),
        "ci.groups",
        "azp",
        "repository");
  }
}
