/**
 * Identity: bearer tokens in, an immutable {@link dev.gatehouse.engine.identity.Principal} out.
 *
 * <pre>
 * token ──► CompactToken.parse      size, three base64url parts, JSON, alg != none
 *       ──► iss (unverified)        picks one TrustedIssuer, or UNTRUSTED_ISSUER
 *       ──► alg allowed?            HS* / unlisted algorithms end here (alg confusion)
 *       ──► IssuerKeys.keysFor      cached JWKS; unknown kid → one rate-limited refetch
 *       │        └── KeySetFetcher  discovery + JWKS over HTTP, short timeouts, per-issuer lock
 *       ──► signature               Nimbus RSASSA / ECDSA verifier built once per key
 *       ──► ClaimChecks             exp, nbf, iat (with skew), aud, sub, groups, client id
 *       ──► Principal               every claim kept, deeply immutable
 * </pre>
 *
 * <p>Decisions and refresh policy: {@code docs/adr/0001-token-verification.md}.
 */
package dev.gatehouse.engine.identity;
