package dev.gatehouse.engine.identity;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@link IssuerConfig} after validation, with defaults filled in and algorithms parsed; the one
 * place where issuer configuration is checked.
 */
record TrustedIssuer(
    String issuer,
    URI discoveryUrl,
    URI jwksUrl,
    Set<String> audiences,
    Set<JWSAlgorithm> algorithms,
    Duration clockSkew,
    ClaimPath groupsClaim,
    ClaimPath clientIdClaim,
    ClaimPath workloadClaim) {

  static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  static final String DEFAULT_GROUPS_CLAIM = "groups";
  static final String DEFAULT_CLIENT_ID_CLAIM = "client_id";

  /** Signature algorithms a verifier can check with an issuer's public key. */
  static final Set<JWSAlgorithm> SUPPORTED =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  /** Validates {@code c}; the message names the issuer and says what to write instead. */
  static TrustedIssuer of(IssuerConfig c) {
    if (c == null) {
      throw new IllegalArgumentException("trusted issuer list holds an empty entry");
    }
    if (c.issuer() == null || c.issuer().isBlank()) {
      throw new IllegalArgumentException("trusted issuer needs `issuer`, the exact `iss` value");
    }
    String where = "issuer `" + c.issuer() + "`: ";
    if ((c.discoveryUrl() == null) == (c.jwksUrl() == null)) {
      throw new IllegalArgumentException(
          where + "give exactly one of `discovery-url` and `jwks-url`");
    }
    URI discovery = c.discoveryUrl() == null ? null : checkUrl(where, c.discoveryUrl());
    URI jwks = c.jwksUrl() == null ? null : checkUrl(where, c.jwksUrl());
    if (c.audiences().isEmpty() || c.audiences().stream().anyMatch(a -> a == null || a.isBlank())) {
      throw new IllegalArgumentException(
          where + "list at least one audience, none of them blank (e.g. `gatehouse`)");
    }
    Duration skew = c.clockSkew() == null ? DEFAULT_CLOCK_SKEW : c.clockSkew();
    if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException(
          where + "clock skew `" + skew + "` must be between 0 and 5 minutes");
    }
    return new TrustedIssuer(
        c.issuer(),
        discovery,
        jwks,
        Set.copyOf(c.audiences()),
        algorithms(where, c.algorithms()),
        skew,
        ClaimPath.of(where, c.groupsClaim() == null ? DEFAULT_GROUPS_CLAIM : c.groupsClaim()),
        ClaimPath.of(
            where, c.clientIdClaim() == null ? DEFAULT_CLIENT_ID_CLAIM : c.clientIdClaim()),
        c.workloadClaim() == null ? null : ClaimPath.of(where, c.workloadClaim()));
  }

  private static Set<JWSAlgorithm> algorithms(String where, Set<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException(where + "list the allowed algorithms, e.g. `RS256`");
    }
    Set<JWSAlgorithm> result = new LinkedHashSet<>();
    for (String name : names) {
      JWSAlgorithm alg = JWSAlgorithm.parse(name);
      // Symmetric algorithms would let anyone holding the issuer's public key forge tokens (alg
      // confusion), and `none` would need no key at all: both are configuration errors.
      if ("none".equalsIgnoreCase(name)) {
        throw new IllegalArgumentException(
            where + "algorithm `none` accepts unsigned tokens; list only RS256, PS256 or ES256");
      }
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
        throw new IllegalArgumentException(
            where
                + "algorithm `"
                + name
                + "` is symmetric (HMAC) and cannot be checked with an issuer's public key;"
                + " list only asymmetric algorithms such as RS256, PS256 or ES256");
      }
      if (!SUPPORTED.contains(alg)) {
        throw new IllegalArgumentException(
            where
                + "algorithm `"
                + name
                + "` is not supported; use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384"
                + " or ES512");
      }
      result.add(alg);
    }
    return Set.copyOf(result);
  }

  private static URI checkUrl(String where, URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
    boolean https = scheme.equals("https");
    // Plain http would let anyone on the path swap the keys; it is only acceptable on loopback,
    // where tests and a local quickstart issuer run.
    boolean loopbackHttp = scheme.equals("http") && isLoopback(url.getHost());
    if (!(https || loopbackHttp) || url.getHost() == null) {
      throw new IllegalArgumentException(
          where + "url `" + url + "` must use https (plain http only on loopback)");
    }
    return url;
  }

  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    return host.equalsIgnoreCase("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }

  /** A claim name, possibly dotted to reach into nested objects ({@code ci.repository}). */
  record ClaimPath(String text, List<String> segments) {

    static ClaimPath of(String where, String text) {
      if (text.isBlank() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
        throw new IllegalArgumentException(
            where + "claim `" + text + "` must be a claim name or a dotted path like `ci.ref`");
      }
      return new ClaimPath(text, List.of(text.split("\\.")));
    }

    /** The value at this path in {@code claims}, or null. */
    Object find(java.util.Map<String, Object> claims) {
      Object current = claims;
      for (String segment : segments) {
        if (!(current instanceof java.util.Map<?, ?> map)) {
          return null;
        }
        current = map.get(segment);
      }
      return current;
    }
  }
}
