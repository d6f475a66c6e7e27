package dev.gatehouse.testkit.issuer;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * Resource indicators (RFC 8707) at the quickstart issuer's token endpoint: a token request naming
 * a {@code resource} gets that resource as the access token's {@code aud}, if the resource is one
 * the issuer serves (the MCP endpoints registered with {@link #allow}); an unknown one is refused
 * with {@code invalid_target}. MCP clients must send {@code resource} (MCP authorization,
 * 2025-06-18), so the token they get is good for that MCP server only. Requests without one are
 * answered by the issuer's configured callback, unchanged.
 */
public final class ResourceAudience implements OAuth2TokenCallback {

  private final OAuth2TokenCallback configured;
  private final Set<String> resources = ConcurrentHashMap.newKeySet();

  public ResourceAudience(OAuth2TokenCallback configured) {
    this.configured = configured;
  }

  /** Lets tokens be issued for {@code resource}, e.g. {@code http://127.0.0.1:8080/mcp}. */
  public void allow(URI resource) {
    resources.add(resource.toString());
  }

  @Override
  public List<String> audience(TokenRequest request) {
    List<URI> asked = request.getResources();
    if (asked == null || asked.isEmpty()) {
      return configured.audience(request);
    }
    for (URI r : asked) {
      if (!resources.contains(r.toString())) {
        throw new OAuth2Exception(
            new ErrorObject("invalid_target", "this issuer serves no resource `" + r + "`", 400),
            "unknown resource " + r);
      }
    }
    return asked.stream().map(URI::toString).toList();
  }

  @Override
  public String issuerId() {
    return configured.issuerId();
  }

  @Override
  public String subject(TokenRequest request) {
    return configured.subject(request);
  }

  @Override
  public String typeHeader(TokenRequest request) {
    return configured.typeHeader(request);
  }

  @Override
  public Map<String, Object> addClaims(TokenRequest request) {
    return configured.addClaims(request);
  }

  @Override
  public long tokenExpiry() {
    return configured.tokenExpiry();
  }
}
