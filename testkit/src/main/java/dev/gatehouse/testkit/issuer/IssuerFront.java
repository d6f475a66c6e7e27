package dev.gatehouse.testkit.issuer;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.http.WellKnown;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * What the quickstart issuer adds in front of mock-oauth2-server for MCP clients, on one issuer id:
 * authorization server metadata (RFC 8414, and OpenID discovery) that names a {@code
 * registration_endpoint}, served at every location MCP clients look; that endpoint (RFC 7591,
 * {@link ClientRegistry}); and, for registered clients, an authorization endpoint that checks the
 * redirect URI and PKCE and lets the user pick a reference principal ({@link PrincipalPicker}).
 * Everything else (codes, PKCE verification, tokens, JWKS) is the mock's.
 */
public final class IssuerFront implements Route {

  private final String issuerId;
  private final ClientRegistry clients = new ClientRegistry();
  private final PrincipalPicker picker;

  public IssuerFront(String issuerId, PrincipalPicker picker) {
    this.issuerId = issuerId;
    this.picker = picker;
  }

  public ClientRegistry clients() {
    return clients;
  }

  @Override
  public boolean match(OAuth2HttpRequest request) {
    String path = request.getUrl().encodedPath();
    return metadataPaths().contains(path)
        || path.equals("/" + issuerId + "/register")
        || (path.equals("/" + issuerId + "/authorize")
            && registeredClient(request) != null
            // A sound sign-in (POST) goes on to the mock, which issues the code.
            && !(request.getMethod().equals("POST")
                && picker.soundSignIn(request, registeredClient(request))));
  }

  @Override
  public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
    String path = request.getUrl().encodedPath();
    if (metadataPaths().contains(path)) {
      return request.getMethod().equals("GET") ? metadata(request) : status(405, "");
    }
    if (path.endsWith("/register")) {
      return request.getMethod().equals("POST") ? register(request) : status(405, "");
    }
    return picker.authorize(request, registeredClient(request));
  }

  private ClientRegistry.Client registeredClient(OAuth2HttpRequest request) {
    return clients.find(request.getUrl().queryParameter("client_id"));
  }

  /** RFC 8414 §3 inserts the well-known segment before the issuer's path; OIDC appends it. */
  private Set<String> metadataPaths() {
    return Set.of(
        "/.well-known/oauth-authorization-server/" + issuerId,
        "/.well-known/openid-configuration/" + issuerId,
        "/" + issuerId + "/.well-known/oauth-authorization-server",
        "/" + issuerId + "/.well-known/openid-configuration");
  }

  private OAuth2HttpResponse metadata(OAuth2HttpRequest request) {
    // The mock's own document, asked at its own location, plus what MCP clients need.
    HttpUrl own =
        request
            .getUrl()
            .newBuilder()
            .encodedPath("/" + issuerId + "/.well-known/openid-configuration")
            .query(null)
            .build();
    WellKnown w = new OAuth2HttpRequest(request.getHeaders(), "GET", own, null).toWellKnown();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", w.getIssuer());
    doc.put("authorization_endpoint", w.getAuthorizationEndpoint());
    doc.put("token_endpoint", w.getTokenEndpoint());
    doc.put("registration_endpoint", w.getIssuer() + "/register");
    doc.put("jwks_uri", w.getJwksUri());
    doc.put("userinfo_endpoint", w.getUserInfoEndpoint());
    doc.put("end_session_endpoint", w.getEndSessionEndpoint());
    doc.put("revocation_endpoint", w.getRevocationEndpoint());
    doc.put("introspection_endpoint", w.getIntrospectionEndpoint());
    doc.put("scopes_supported", List.of("openid"));
    doc.put("response_types_supported", List.of("code"));
    doc.put("response_modes_supported", w.getResponseModesSupported());
    doc.put(
        "grant_types_supported",
        List.of("authorization_code", "refresh_token", "client_credentials"));
    doc.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic"));
    doc.put("code_challenge_methods_supported", List.of("S256"));
    doc.put("subject_types_supported", w.getSubjectTypesSupported());
    doc.put("id_token_signing_alg_values_supported", w.getIdTokenSigningAlgValuesSupported());
    return json(200, doc);
  }

  private OAuth2HttpResponse register(OAuth2HttpRequest request) {
    Map<String, Object> metadata;
    try {
      metadata = JSONObjectUtils.parse(request.getBody() == null ? "" : request.getBody());
    } catch (ParseException e) {
      return json(
          400,
          Map.of(
              "error", "invalid_client_metadata",
              "error_description", "the body is not a JSON object"));
    }
    try {
      return json(201, clients.register(metadata));
    } catch (ClientRegistry.RegistrationException e) {
      return json(400, Map.of("error", e.error(), "error_description", e.getMessage()));
    }
  }

  static OAuth2HttpResponse json(int status, Map<String, ?> body) {
    String text = JSONObjectUtils.toJSONString(new LinkedHashMap<String, Object>(body));
    return new OAuth2HttpResponse(
        Headers.of("Content-Type", "application/json", "Cache-Control", "no-store"),
        status,
        text,
        text.getBytes(StandardCharsets.UTF_8));
  }

  static OAuth2HttpResponse status(int status, String body) {
    return new OAuth2HttpResponse(
        Headers.of("Content-Type", "text/plain; charset=utf-8"),
        status,
        body,
        body.getBytes(StandardCharsets.UTF_8));
  }
}
