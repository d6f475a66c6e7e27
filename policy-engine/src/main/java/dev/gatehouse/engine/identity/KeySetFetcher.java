package dev.gatehouse.engine.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.util.Map;

/**
 * Fetches one issuer's JWKS over HTTP with short timeouts and a size limit, finding the JWKS URL
 * through OIDC discovery when the configuration gives a discovery URL.
 *
 * <p>Called only under the issuer's lock, so it needs no synchronization of its own.
 *
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig">OIDC
 *     Discovery §4</a>
 */
final class KeySetFetcher {

  private final ResourceRetriever http;
  private URI jwksUrl;

  KeySetFetcher(TrustedIssuer issuer, VerifierSettings settings) {
    this.http =
        new DefaultResourceRetriever(
            (int) settings.connectTimeout().toMillis(),
            (int) settings.readTimeout().toMillis(),
            settings.maxDocumentBytes());
    this.jwksUrl = issuer.jwksUrl();
  }

  /** A fetch failed; the message names the URL and the cause, never a token. */
  static final class FetchException extends Exception {
    FetchException(String message) {
      super(message);
    }
  }

  JWKSet fetch(TrustedIssuer issuer) throws FetchException {
    if (jwksUrl == null) {
      jwksUrl = discover(issuer);
    }
    String body = get(jwksUrl);
    try {
      return JWKSet.parse(body);
    } catch (ParseException e) {
      throw new FetchException("key set at `" + jwksUrl + "` is not a valid jwks");
    }
  }

  private URI discover(TrustedIssuer issuer) throws FetchException {
    URI discovery = issuer.discoveryUrl();
    Map<String, Object> doc;
    try {
      doc = JSONObjectUtils.parse(get(discovery));
    } catch (ParseException e) {
      throw new FetchException("discovery document at `" + discovery + "` is not json");
    }
    // A discovery document must name the issuer it describes; anything else is a misconfiguration
    // or an attempt to lend another issuer's keys.
    if (!issuer.issuer().equals(doc.get("issuer"))) {
      throw new FetchException(
          "discovery document at `"
              + discovery
              + "` names issuer `"
              + Text.quote(String.valueOf(doc.get("issuer")))
              + "`, not `"
              + issuer.issuer()
              + "`");
    }
    if (!(doc.get("jwks_uri") instanceof String uri)) {
      throw new FetchException("discovery document at `" + discovery + "` has no `jwks_uri`");
    }
    URI jwks;
    try {
      jwks = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new FetchException("discovery document at `" + discovery + "` has a bad `jwks_uri`");
    }
    String scheme = jwks.getScheme() == null ? "" : jwks.getScheme();
    if (!(scheme.equals("https")
        || (scheme.equals("http") && TrustedIssuer.isLoopback(jwks.getHost())))) {
      throw new FetchException(
          "discovery document at `" + discovery + "` points to `" + jwks + "`, which is not https");
    }
    return jwks;
  }

  private String get(URI url) throws FetchException {
    try {
      return http.retrieveResource(url.toURL()).getContent();
    } catch (IOException | IllegalArgumentException e) {
      throw new FetchException("fetching `" + url + "` failed: " + e.getMessage());
    }
  }
}
