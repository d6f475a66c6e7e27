package dev.gatehouse.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tokens that must verify: every reference principal, from discovery or a JWKS URL. */
class JwtTokenVerifierIT {

  private static final TestIssuer issuer = TestIssuer.get();
  private static LoopbackIssuer ci;
  private static JwtTokenVerifier verifier;

  @BeforeAll
  static void start() throws Exception {
    ci = LoopbackIssuer.start(0);
    verifier = new JwtTokenVerifier(List.of(Issuers.testIssuer(), Issuers.loopback(ci)));
  }

  @AfterAll
  static void stop() {
    ci.close();
  }

  @ParameterizedTest
  @EnumSource(ReferencePrincipal.class)
  void everyReferencePrincipalVerifies(ReferencePrincipal p) throws Exception {
    Principal principal = verifier.verify(issuer.tokenFor(p));

    assertThat(principal.issuer()).isEqualTo(issuer.issuerUrl());
    assertThat(principal.subject()).isEqualTo(p.subject());
    assertThat(principal.groups()).containsExactlyInAnyOrderElementsOf(p.groups());
    assertThat(principal.kind())
        .isEqualTo(p.workload() ? Principal.Kind.WORKLOAD : Principal.Kind.PERSON);
    assertThat(principal.expiresAt()).isAfter(Instant.now());
    assertThat(principal.claim("sub")).isEqualTo(p.subject());
  }

  @Test
  void etlNightlyIsAWorkloadWithItsClientIdAndRepository() throws Exception {
    Principal etl = verifier.verify(issuer.tokenFor(ReferencePrincipal.ETL_NIGHTLY));

    assertThat(etl.kind()).isEqualTo(Principal.Kind.WORKLOAD);
    assertThat(etl.clientId()).isEqualTo("etl-nightly");
    assertThat(etl.claim("repository")).isEqualTo("shop/etl-jobs");
    assertThat(etl.claim("ref")).isEqualTo("refs/heads/main");
    assertThat(etl.groups()).containsExactly("etl");
  }

  @Test
  void personKeepsEveryClaimButHasNoClientId() throws Exception {
    Principal lead = verifier.verify(issuer.tokenFor(ReferencePrincipal.SUPPORT_LEAD));

    assertThat(lead.kind()).isEqualTo(Principal.Kind.PERSON);
    assertThat(lead.clientId()).isNull();
    assertThat(lead.claim("email")).isEqualTo("support-lead@shop.example");
    assertThat(lead.claimValues("aud")).containsExactly(TestIssuer.AUDIENCE);
    assertThat(lead.groups()).containsExactlyInAnyOrder("analysts", "pii-cleared");
  }

  @Test
  void jwksUrlWorksWithoutDiscovery() throws Exception {
    JwtTokenVerifier byJwks = new JwtTokenVerifier(List.of(Issuers.testIssuerByJwks()));
    assertThat(byJwks.verify(issuer.tokenFor(ReferencePrincipal.DBA)).subject()).isEqualTo("dba");
  }

  @Test
  void nestedCiClaimsStayMapsAndAreImmutable() throws Exception {
    String token =
        LoopbackIssuer.sign(
            ci.currentKey(),
            ci.claims("repo:shop/etl-jobs:ref:refs/heads/main")
                .claim("repository", "shop/etl-jobs")
                .claim("azp", "github-actions")
                .claim("ci", Map.of("ref", "refs/heads/main", "groups", List.of("etl", "ci")))
                .claim("optional", null)
                .build());

    Principal job = verifier.verify(token);

    assertThat(job.kind()).isEqualTo(Principal.Kind.WORKLOAD);
    assertThat(job.clientId()).isEqualTo("github-actions");
    assertThat(job.groups()).containsExactlyInAnyOrder("etl", "ci");
    assertThat(job.claim("ci")).isInstanceOf(Map.class);
    assertThat(job.claim("ci.ref")).isEqualTo("refs/heads/main");
    @SuppressWarnings("unchecked")
    Map<String, Object> nested = (Map<String, Object>) job.claim("ci");
    assertThatThrownBy(() -> nested.put("ref", "refs/heads/evil"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> job.claims().put("sub", "root"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void es256TokenVerifiesWithAnEcKey() throws Exception {
    try (LoopbackIssuer ec = LoopbackIssuer.start(0)) {
      var rsaKey = ec.currentKey();
      var ecKey = LoopbackIssuer.newEcKey("ec1");
      ec.publish(ecKey, rsaKey);
      JwtTokenVerifier v = new JwtTokenVerifier(List.of(Issuers.loopback(ec)));
      assertThat(v.verify(LoopbackIssuer.signEs256(ecKey, ec.claims("carol").build())).subject())
          .isEqualTo("carol");
      assertThat(v.verify(LoopbackIssuer.sign(rsaKey, ec.claims("dave").build())).subject())
          .isEqualTo("dave");
      // An RS256 token naming the EC key's id finds no key that fits.
      var mismatched =
          LoopbackIssuer.sign(
              rsaKey,
              new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                  .keyID("ec1")
                  .build(),
              ec.claims("eve").build());
      TokenRefusalIT.refused(v, mismatched, AuthenticationException.Reason.UNKNOWN_KEY);
    }
  }

  @Test
  void tokenWithoutWorkloadClaimIsAPerson() throws Exception {
    String token = LoopbackIssuer.sign(ci.currentKey(), ci.claims("alice").build());
    Principal alice = verifier.verify(token);
    assertThat(alice.kind()).isEqualTo(Principal.Kind.PERSON);
    assertThat(alice.groups()).isEmpty();
    assertThat(alice.issuer()).isEqualTo(ci.issuerUrl());
  }

  @Test
  void expiryWithinClockSkewIsStillAccepted() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JWTClaimsSet claims =
        ci.claims("alice").expirationTime(new java.util.Date((now - 10) * 1000)).build();
    assertThat(verifier.verify(LoopbackIssuer.sign(ci.currentKey(), claims)).subject())
        .isEqualTo("alice");
  }

  @Test
  void manyThreadsVerifyTheSameWayWithoutFetchingPerCall() throws Exception {
    String token = issuer.tokenFor(ReferencePrincipal.ANALYST);
    String ciToken = LoopbackIssuer.sign(ci.currentKey(), ci.claims("bob").build());
    verifier.verify(ciToken);
    int fetchesBefore = ci.jwksFetches();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results =
          java.util.stream.IntStream.range(0, 400)
              .mapToObj(
                  i -> pool.submit(() -> verifier.verify(i % 2 == 0 ? token : ciToken).subject()))
              .toList();
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? "analyst" : "bob");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ci.jwksFetches()).isEqualTo(fetchesBefore);
  }

  @Test
  void shortLivedTokenFromTheIssuerVerifies() throws Exception {
    String token = issuer.personToken(ReferencePrincipal.CONTRACTOR, Duration.ofSeconds(120));
    assertThat(verifier.verify(token).groups()).containsExactly("contractors");
  }
}
