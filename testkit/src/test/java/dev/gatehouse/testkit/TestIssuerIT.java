package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestIssuerIT {

  private final TestIssuer issuer = TestIssuer.get();

  private DefaultJWTProcessor<SecurityContext> processorFor(String jwksUrl) throws Exception {
    JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).build();
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    return p;
  }

  @Test
  void personTokenVerifiesAgainstTheIssuersJwks() throws Exception {
    String token = issuer.tokenFor(ReferencePrincipal.SUPPORT_LEAD);
    JWTClaimsSet claims = processorFor(issuer.jwksUrl()).process(token, null);
    assertThat(claims.getIssuer()).isEqualTo(issuer.issuerUrl());
    assertThat(claims.getSubject()).isEqualTo("support-lead");
    assertThat(claims.getAudience()).containsExactly(TestIssuer.AUDIENCE);
    assertThat(claims.getStringListClaim("groups")).containsExactly("analysts", "pii-cleared");
  }

  @Test
  void workloadTokenComesFromTheClientCredentialsGrant() throws Exception {
    String token = issuer.tokenFor(ReferencePrincipal.ETL_NIGHTLY);
    JWTClaimsSet claims = processorFor(issuer.jwksUrl()).process(token, null);
    assertThat(claims.getSubject()).isEqualTo("etl-nightly");
    assertThat(claims.getStringClaim("client_id")).isEqualTo("etl-nightly");
    assertThat(claims.getStringListClaim("groups")).isEqualTo(List.of("etl"));
    assertThat(claims.getStringClaim("repository")).isEqualTo("shop/etl-jobs");
  }

  @Test
  void untrustedIssuerSignsWithAnotherKey() throws Exception {
    String token =
        issuer.token(
            TestIssuer.UNTRUSTED_ID,
            "analyst",
            java.util.Map.of("groups", List.of("analysts")),
            java.time.Duration.ofMinutes(5));
    assertThatThrownBy(() -> processorFor(issuer.jwksUrl()).process(token, null))
        .isInstanceOf(BadJOSEException.class);
    assertThat(processorFor(issuer.untrustedJwksUrl()).process(token, null).getIssuer())
        .isEqualTo(issuer.untrustedIssuerUrl());
  }
}
