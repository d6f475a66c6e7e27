package dev.gatehouse.mcp.testgate;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.AuthenticationException.Reason;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.identity.TokenVerifier;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Test double of the engine's verifier: Nimbus against one trusted issuer's JWKS, audience checked.
 * The real verifier (several issuers, discovery, claim mapping) lives in policy-engine.
 */
public final class TestTokenVerifier implements TokenVerifier {

  private final String issuer;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public TestTokenVerifier(String issuer, String jwksUrl, String audience) {
    this.issuer = issuer;
    try {
      JWKSource<SecurityContext> keys =
          JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).build();
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
      processor.setJWTClaimsSetVerifier(
          new DefaultJWTClaimsVerifier<>(
              audience,
              new JWTClaimsSet.Builder().issuer(issuer).build(),
              new HashSet<>(List.of("sub", "exp", "iat"))));
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public Principal verify(String token) throws AuthenticationException {
    JWTClaimsSet claims;
    try {
      String iss = SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
      if (!issuer.equals(iss)) {
        throw new AuthenticationException(
            Reason.UNTRUSTED_ISSUER, "issuer `" + iss + "` is not trusted");
      }
      claims = processor.process(token, null);
    } catch (java.text.ParseException e) {
      throw new AuthenticationException(Reason.MALFORMED, "not a signed JWT");
    } catch (BadJWTException e) {
      Reason reason =
          e.getMessage().contains(" aud ")
              ? Reason.WRONG_AUDIENCE
              : e.getMessage().contains("xpired") ? Reason.EXPIRED : Reason.MALFORMED;
      throw new AuthenticationException(reason, e.getMessage());
    } catch (BadJOSEException e) {
      throw new AuthenticationException(Reason.BAD_SIGNATURE, e.getMessage());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new AuthenticationException(Reason.ISSUER_UNAVAILABLE, e.getMessage());
    }
    Object groups = claims.getClaim("groups");
    Set<String> groupSet = new HashSet<>();
    if (groups instanceof List<?> list) {
      list.forEach(g -> groupSet.add(String.valueOf(g)));
    }
    String clientId = (String) claims.getClaim("client_id");
    return new Principal(
        claims.getIssuer(),
        claims.getSubject(),
        clientId != null ? Principal.Kind.WORKLOAD : Principal.Kind.PERSON,
        groupSet,
        clientId,
        claims.toJSONObject(),
        claims.getExpirationTime().toInstant());
  }
}
