package dev.gatehouse.engine.identity;

import static dev.gatehouse.engine.identity.AuthenticationException.Reason.ALGORITHM_NOT_ALLOWED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.BAD_SIGNATURE;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MALFORMED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.UNTRUSTED_ISSUER;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies signed JWTs from several trusted OIDC issuers at once, with Nimbus JOSE+JWT doing the
 * cryptography.
 *
 * <p>The steps, each refusing with its own reason: size and shape of the token; the algorithm
 * ({@code none} never); the issuer, read unverified from {@code iss} only to pick its keys; the
 * signature against that issuer's cached JWKS (refetched, rate limited, when the {@code kid} is
 * unknown); then, trusting the claims at last, lifetime, audience and subject. Thread-safe; after
 * the first token of an issuer, verifying costs no network access.
 */
public final class JwtTokenVerifier implements TokenVerifier {

  private static final Logger log = LoggerFactory.getLogger(JwtTokenVerifier.class);

  private final Map<String, Issuer> issuers;
  private final VerifierSettings settings;

  private record Issuer(TrustedIssuer config, IssuerKeys keys, ClaimChecks checks) {}

  /** A verifier with {@link VerifierSettings#defaults()}. */
  public JwtTokenVerifier(List<IssuerConfig> trusted) {
    this(trusted, VerifierSettings.defaults());
  }

  /**
   * Validates the configuration and builds the verifier; no issuer is contacted until a token names
   * it, so one issuer being down at start-up affects no other.
   *
   * @throws IllegalArgumentException if an issuer's configuration is invalid, e.g. lists an HMAC
   *     algorithm or {@code none}
   */
  public JwtTokenVerifier(List<IssuerConfig> trusted, VerifierSettings settings) {
    if (trusted == null || trusted.isEmpty()) {
      throw new IllegalArgumentException("configure at least one trusted issuer");
    }
    this.settings = settings;
    Map<String, Issuer> byIss = new HashMap<>();
    for (IssuerConfig c : trusted) {
      TrustedIssuer t = TrustedIssuer.of(c);
      Issuer issuer =
          new Issuer(
              t,
              new IssuerKeys(t, new KeySetFetcher(t, settings), settings),
              new ClaimChecks(t, settings.clock()));
      if (byIss.putIfAbsent(t.issuer(), issuer) != null) {
        throw new IllegalArgumentException(
            "issuer `" + t.issuer() + "` is configured twice; merge the two entries");
      }
    }
    this.issuers = Map.copyOf(byIss);
  }

  @Override
  public Principal verify(String token) throws AuthenticationException {
    try {
      return verifyOrRefuse(token);
    } catch (AuthenticationException e) {
      // The reason and message only: neither the token nor any part of it is ever logged.
      log.debug("token refused: {}: {}", e.reason(), e.getMessage());
      throw e;
    }
  }

  private Principal verifyOrRefuse(String token) throws AuthenticationException {
    CompactToken jws = CompactToken.parse(token, settings.maxTokenChars());
    String iss = jws.unverifiedIssuer();
    if (iss == null) {
      throw new AuthenticationException(UNTRUSTED_ISSUER, "token names no issuer (`iss`)");
    }
    Issuer issuer = issuers.get(iss);
    if (issuer == null) {
      throw new AuthenticationException(
          UNTRUSTED_ISSUER, "issuer `" + Text.quote(iss) + "` is not trusted");
    }
    JWSAlgorithm alg = jws.header().getAlgorithm();
    if (!issuer.config().algorithms().contains(alg)) {
      // This is where an HMAC token signed with the issuer's public key (alg confusion) ends.
      throw new AuthenticationException(
          ALGORITHM_NOT_ALLOWED,
          "algorithm `"
              + Text.quote(alg.getName())
              + "` is not allowed for issuer `"
              + iss
              + "`; allowed: "
              + issuer.config().algorithms());
    }
    if (jws.header().getCriticalParams() != null && !jws.header().getCriticalParams().isEmpty()) {
      throw new AuthenticationException(
          MALFORMED, "token marks header parameters critical (`crit`) that are not understood");
    }
    checkSignature(issuer, jws);
    return issuer.checks().principal(jws.payload());
  }

  private static void checkSignature(Issuer issuer, CompactToken jws)
      throws AuthenticationException {
    for (VerificationKey key : issuer.keys().keysFor(jws.header())) {
      try {
        if (key.verifier().verify(jws.header(), jws.signingInput(), jws.signature())) {
          return;
        }
      } catch (JOSEException e) {
        // a signature of the wrong length or shape: as bad as a wrong one
      }
    }
    throw new AuthenticationException(
        BAD_SIGNATURE,
        "token signature does not verify with the keys of issuer `"
            + issuer.config().issuer()
            + "`");
  }
}
