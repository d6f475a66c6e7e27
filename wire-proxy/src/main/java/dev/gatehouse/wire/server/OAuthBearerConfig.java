package dev.gatehouse.wire.server;

import java.net.URI;

/**
 * PostgreSQL 18's {@code OAUTHBEARER} SASL mechanism on the wire proxy: a second way for a client
 * to present its token, beside the password field.
 *
 * @param issuer the issuer a client gets its token from; a failed or discovery exchange names its
 *     discovery document ({@code issuer/.well-known/openid-configuration}, or the issuer itself
 *     when it already holds a {@code /.well-known/} path), which libpq 18 checks against its own
 *     {@code oauth_issuer}
 * @param scope the scopes a client asks for, space separated ({@code openid} when left out)
 * @param byDefault offer OAUTHBEARER to every client that does not ask for the password exchange;
 *     otherwise only to clients that ask for it (startup option {@code -c
 *     gatehouse.auth=oauthbearer})
 */
public record OAuthBearerConfig(String issuer, String scope, boolean byDefault) {

  public OAuthBearerConfig {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException(
          "wire proxy `oauthBearer.issuer` is missing; name the issuer clients get tokens from");
    }
    URI uri;
    try {
      uri = URI.create(issuer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "wire proxy `oauthBearer.issuer` `" + issuer + "` is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "wire proxy `oauthBearer.issuer` `" + issuer + "` must be an https URL");
    }
    scope = scope == null || scope.isBlank() ? "openid" : scope.strip();
  }

  /** The discovery document named in the error status, as PostgreSQL 18 builds it. */
  public String discoveryUrl() {
    return issuer.contains("/.well-known/") ? issuer : issuer + "/.well-known/openid-configuration";
  }
}
