package dev.gatehouse.engine.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Optional;

/**
 * One public signing key of an issuer with its verifier, built once when the key set is fetched so
 * that verifying a token allocates no key material.
 */
record VerificationKey(String kid, JWSAlgorithm declaredAlg, JWSVerifier verifier) {

  /**
   * The key as a verifier, or empty for keys that cannot sign tokens here: encryption keys,
   * symmetric keys (an issuer must never publish one, and HMAC is never allowed) and unsupported
   * key types.
   */
  static Optional<VerificationKey> of(JWK jwk) {
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      return Optional.empty();
    }
    JWSAlgorithm alg =
        jwk.getAlgorithm() == null ? null : JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    try {
      JWSVerifier verifier =
          switch (jwk) {
            case RSAKey rsa -> new RSASSAVerifier(rsa.toPublicJWK());
            case ECKey ec -> new ECDSAVerifier(ec.toPublicJWK());
            default -> null;
          };
      return Optional.ofNullable(verifier).map(v -> new VerificationKey(jwk.getKeyID(), alg, v));
    } catch (JOSEException | RuntimeException e) {
      return Optional.empty(); // e.g. an EC key on a curve the JDK does not offer
    }
  }

  /** Whether this key may have signed a token with {@code header}. */
  boolean fits(JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    if (header.getKeyID() != null && !header.getKeyID().equals(kid)) {
      return false;
    }
    if (declaredAlg != null && !declaredAlg.equals(alg)) {
      return false;
    }
    return verifier.supportedJWSAlgorithms().contains(alg);
  }
}
