package dev.gatehouse.engine.identity;

import static dev.gatehouse.engine.identity.AuthenticationException.Reason.ALGORITHM_NOT_ALLOWED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.BAD_SIGNATURE;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.EXPIRED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MALFORMED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MISSING_SUBJECT;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MISSING_TOKEN;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.NOT_YET_VALID;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.OVERSIZED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.UNKNOWN_KEY;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.UNTRUSTED_ISSUER;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.WRONG_AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.engine.identity.AuthenticationException.Reason;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a token is refused, each with its reason and a message that never echoes it. */
class TokenRefusalIT {

  private static final TestIssuer issuer = TestIssuer.get();
  private static LoopbackIssuer loop;
  private static JwtTokenVerifier verifier;
  private static String genuine;

  @BeforeAll
  static void start() throws Exception {
    loop = LoopbackIssuer.start(0);
    verifier = new JwtTokenVerifier(List.of(Issuers.testIssuer(), Issuers.loopback(loop)));
    genuine = issuer.tokenFor(ReferencePrincipal.ANALYST);
    assertThat(verifier.verify(genuine).subject()).isEqualTo("analyst");
  }

  @AfterAll
  static void stop() {
    loop.close();
  }

  /** Refuses {@code token} with {@code reason}, and checks the message follows the style. */
  static AuthenticationException refused(JwtTokenVerifier v, String token, Reason reason) {
    AuthenticationException e =
        catchThrowableOfType(AuthenticationException.class, () -> v.verify(token));
    assertThat(e).as("token must be refused").isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    String message = e.getMessage();
    assertThat(message).isNotBlank().doesNotEndWith(".");
    assertThat(Character.isLowerCase(message.charAt(0))).as(message).isTrue();
    if (token != null && token.length() > 20) {
      assertThat(message).doesNotContain(token);
      for (String part : token.split("\\.")) {
        if (part.length() > 12) {
          assertThat(message).doesNotContain(part);
        }
      }
    }
    return e;
  }

  private static AuthenticationException refused(String token, Reason reason) {
    return refused(verifier, token, reason);
  }

  @Test
  void missingOrBlankToken() {
    refused(null, MISSING_TOKEN);
    refused("", MISSING_TOKEN);
    refused("   ", MISSING_TOKEN);
  }

  @Test
  void oversizedTokenIsRefusedBeforeParsing() {
    String huge =
        issuer.token(
            TestIssuer.TRUSTED_ID,
            "analyst",
            Map.of("padding", "x".repeat(20_000)),
            Duration.ofMinutes(5));
    assertThat(refused(huge, OVERSIZED).getMessage()).contains("16384");
    String junk = "a".repeat(VerifierSettings.DEFAULT_MAX_TOKEN_CHARS + 1);
    refused(junk, OVERSIZED);
  }

  @Test
  void sizeLimitIsConfigurable() throws Exception {
    JwtTokenVerifier strict =
        new JwtTokenVerifier(
            List.of(Issuers.testIssuer()),
            VerifierSettings.defaults().withMaxTokenChars(genuine.length() - 1));
    refused(strict, genuine, OVERSIZED);
    JwtTokenVerifier exact =
        new JwtTokenVerifier(
            List.of(Issuers.testIssuer()),
            VerifierSettings.defaults().withMaxTokenChars(genuine.length()));
    assertThat(exact.verify(genuine).subject()).isEqualTo("analyst");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not-a-jwt",
        "only.two",
        "a.b.c.d",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln.x.y",
        "!!!.e30.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.e30=.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.e3+/.c2ln",
        "aGVsbG8.e30.c2ln",
        "W10.e30.c2ln",
        "e30.e30.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.aGVsbG8.c2ln",
        "eyJhbGciOiJSUzI1NiJ9..c2ln",
        "eyJhbGciOiJSUzI1NiJ9.e30.",
        "a.e30.c2ln",
        "eyJhbGciOjF9.e30.c2ln"
      })
  void malformedTokens(String token) {
    refused(token, MALFORMED);
  }

  @Test
  void payloadThatIsNotJsonInAnOtherwiseGenuineToken() {
    String[] parts = genuine.split("\\.");
    refused(parts[0] + "." + Forge.b64("not json") + "." + parts[2], MALFORMED);
    refused(parts[0] + ".%%%." + parts[2], MALFORMED);
  }

  @Test
  void algNoneIsRefused() {
    AuthenticationException e = refused(Forge.unsigned(genuine), ALGORITHM_NOT_ALLOWED);
    assertThat(e.getMessage()).contains("none");
    refused(Forge.unsigned(genuine) + "c2ln", ALGORITHM_NOT_ALLOWED);
    String shouting = Forge.b64("{\"alg\":\"NONE\"}") + "." + genuine.split("\\.")[1] + ".";
    refused(shouting, ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void hmacSignedWithTheIssuersPublicKeyIsRefused() throws Exception {
    String forged = Forge.hmacWithPublicKey(issuer.jwksUrl(), Forge.claimsOf(genuine));
    assertThat(refused(forged, ALGORITHM_NOT_ALLOWED).getMessage()).contains("HS256");
  }

  @Test
  void unknownKidIsRefusedAfterRefresh() {
    String forged = Forge.signedWithOwnKey("never-published", claimsOfGenuine());
    assertThat(refused(forged, UNKNOWN_KEY).getMessage()).contains("never-published");
  }

  @Test
  void anotherTrustedIssuersKeyDoesNotVouchForThisIssuer() {
    String crossed =
        LoopbackIssuer.sign(
            loop.currentKey(), loop.claims("dba").issuer(issuer.issuerUrl()).build());
    refused(crossed, UNKNOWN_KEY);
  }

  @Test
  void ownKeyUnderTheIssuersKidIsABadSignature() throws Exception {
    String forged = Forge.signedWithOwnKey(Forge.publishedKid(issuer.jwksUrl()), claimsOfGenuine());
    refused(forged, BAD_SIGNATURE);
  }

  @Test
  void tamperedPayloadIsABadSignature() throws Exception {
    refused(Forge.tampered(genuine, "groups", List.of("dba")), BAD_SIGNATURE);
    refused(Forge.tampered(genuine, "sub", "dba"), BAD_SIGNATURE);
    String[] parts = genuine.split("\\.");
    refused(parts[0] + "." + parts[1] + "." + parts[2].substring(4), BAD_SIGNATURE);
  }

  @Test
  void expiredToken() {
    String old = issuer.personToken(ReferencePrincipal.ANALYST, Duration.ofSeconds(-120));
    assertThat(refused(old, EXPIRED).getMessage()).startsWith("token expired at");
  }

  @Test
  void notYetValidToken() {
    long later = System.currentTimeMillis() + 600_000;
    refused(sign(loop.claims("alice").notBeforeTime(new Date(later)).build()), NOT_YET_VALID);
    refused(sign(loop.claims("alice").issueTime(new Date(later)).build()), NOT_YET_VALID);
  }

  @Test
  void wrongAudience() {
    String other =
        issuer.token(
            TestIssuer.TRUSTED_ID,
            "analyst",
            "billing-service",
            Map.of("groups", List.of("analysts")),
            Duration.ofMinutes(5));
    assertThat(refused(other, WRONG_AUDIENCE).getMessage()).contains("billing-service");
    refused(sign(loop.claims("alice").audience(List.of()).build()), WRONG_AUDIENCE);
  }

  @Test
  void untrustedAndUnknownIssuers() {
    String untrusted =
        issuer.token(
            TestIssuer.UNTRUSTED_ID,
            "analyst",
            Map.of("groups", List.of("dba")),
            Duration.ofMinutes(5));
    assertThat(refused(untrusted, UNTRUSTED_ISSUER).getMessage())
        .contains(issuer.untrustedIssuerUrl());
    refused(sign(loop.claims("alice").issuer("https://evil.example").build()), UNTRUSTED_ISSUER);
    refused(sign(loop.claims("alice").issuer(null).build()), UNTRUSTED_ISSUER);
    // An issuer URL that differs only by a trailing slash is another issuer.
    refused(sign(loop.claims("alice").issuer(loop.issuerUrl() + "/").build()), UNTRUSTED_ISSUER);
  }

  @Test
  void missingOrBlankSubject() {
    refused(sign(loop.claims("alice").subject(null).build()), MISSING_SUBJECT);
    refused(sign(loop.claims("alice").subject("  ").build()), MISSING_SUBJECT);
  }

  @Test
  void claimsOfTheWrongShape() {
    refused(sign(loop.claims("alice").expirationTime(null).build()), MALFORMED);
    refused(sign(loop.claims("alice").claim("exp", "tomorrow").build()), MALFORMED);
    refused(sign(loop.claims("alice").claim("ci", Map.of("groups", 42)).build()), MALFORMED);
    refused(sign(loop.claims("alice").claim("azp", List.of("a", "b")).build()), MALFORMED);
  }

  @Test
  void criticalHeaderThatIsNotUnderstood() {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(loop.currentKey().getKeyID())
            .criticalParams(Set.of("x-gatehouse-test"))
            .customParam("x-gatehouse-test", true)
            .build();
    refused(
        LoopbackIssuer.sign(loop.currentKey(), header, loop.claims("alice").build()), MALFORMED);
  }

  private static String sign(JWTClaimsSet claims) {
    return LoopbackIssuer.sign(loop.currentKey(), claims);
  }

  private static JWTClaimsSet claimsOfGenuine() {
    try {
      return Forge.claimsOf(genuine);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
