package dev.gatehouse.engine.identity;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One trusted token issuer.
 *
 * @param issuer the exact {@code iss} value tokens carry
 * @param discoveryUrl the OIDC discovery document, or null when {@code jwksUrl} is given
 * @param jwksUrl the JWKS, or null to take it from discovery
 * @param audiences accepted {@code aud} values; a token must carry at least one
 * @param algorithms allowed JWS algorithms, asymmetric only (RS256, ES256, PS256, EdDSA...)
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param groupsClaim the claim (dotted path) that holds the groups
 * @param clientIdClaim the claim (dotted path) that holds the client id
 * @param workloadClaim a claim whose presence marks a workload (CI job, service account) rather
 *     than a person, e.g. {@code client_id} for client-credentials tokens or {@code repository} for
 *     CI tokens; null means every principal of this issuer is a person
 */
public record IssuerConfig(
    String issuer,
    URI discoveryUrl,
    URI jwksUrl,
    List<String> audiences,
    Set<String> algorithms,
    Duration clockSkew,
    String groupsClaim,
    String clientIdClaim,
    String workloadClaim) {

  public IssuerConfig {
    audiences = List.copyOf(audiences);
    algorithms = Set.copyOf(algorithms);
  }
}
