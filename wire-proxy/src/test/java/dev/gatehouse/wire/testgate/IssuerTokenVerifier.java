package dev.gatehouse.wire.testgate;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.identity.TokenVerifier;
import dev.gatehouse.testkit.TestIssuer;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Test double of {@link TokenVerifier}: verifies tokens of the test issuer with Nimbus (signature
 * from its JWKS, issuer, audience, expiry) until the real verifier is on main.
 */
public final class IssuerTokenVerifier implements TokenVerifier {

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public IssuerTokenVerifier(TestIssuer issuer) {
    try {
      JWKSource<SecurityContext> keys =
          JWKSourceBuilder.create(URI.create(issuer.jwksUrl()).toURL()).build();
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
      processor.setJWTClaimsSetVerifier(
          new DefaultJWTClaimsVerifier<>(
              TestIssuer.AUDIENCE,
              new JWTClaimsSet.Builder().issuer(issuer.issuerUrl()).build(),
              Set.of("sub", "exp")));
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Principal verify(String token) throws AuthenticationException {
    if (token == null || token.isBlank()) {
      throw new AuthenticationException(
          AuthenticationException.Reason.MISSING_TOKEN,
          "no token: send the OIDC token as password");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (Exception e) {
      throw new AuthenticationException(
          AuthenticationException.Reason.BAD_SIGNATURE, "the token was refused: " + e.getMessage());
    }
    try {
      List<String> groups = claims.getStringListClaim("groups");
      String clientId = claims.getStringClaim("client_id");
      return new Principal(
          claims.getIssuer(),
          claims.getSubject(),
          clientId != null ? Principal.Kind.WORKLOAD : Principal.Kind.PERSON,
          groups == null ? Set.of() : Set.copyOf(groups),
          clientId,
          java.util.Map.of(),
          claims.getExpirationTime().toInstant());
    } catch (java.text.ParseException e) {
      throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, e.getMessage());
    }
  }
}
