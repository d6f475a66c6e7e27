package dev.gatehouse.gateway.console;

import dev.gatehouse.engine.identity.IssuerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's side of OpenID Connect: discovery, the authorization request with PKCE (RFC 7636,
 * S256) and the code exchange. The console is a public client; its client id is the issuer's first
 * audience, so the ID token it receives is one the engine's token verifier accepts.
 */
final class OidcClient {

  /** The issuer endpoints the console uses. */
  record Endpoints(String authorization, String token) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Endpoints> discovered = new ConcurrentHashMap<>();

  Endpoints endpoints(IssuerConfig issuer) throws IOException {
    Endpoints known = discovered.get(issuer.issuer());
    if (known != null) {
      return known;
    }
    URI url =
        issuer.discoveryUrl() != null
            ? issuer.discoveryUrl()
            : URI.create(
                issuer.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration");
    JsonNode doc = JSON.readTree(get(url));
    JsonNode auth = doc.get("authorization_endpoint");
    JsonNode token = doc.get("token_endpoint");
    if (auth == null || token == null) {
      throw new IOException("the issuer's discovery document names no authorization endpoint");
    }
    Endpoints e = new Endpoints(auth.asString(), token.asString());
    discovered.put(issuer.issuer(), e);
    return e;
  }

  /**
   * Where the browser goes to sign in. {@code prompt=login} asks for a fresh sign-in: the console
   * is where approvals are given, so a session at the issuer is not reused silently.
   */
  static String authorizationUrl(
      Endpoints e, String clientId, String redirect, Sessions.Login login) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", clientId);
    q.put("redirect_uri", redirect);
    q.put("scope", "openid");
    q.put("state", login.state());
    q.put("nonce", login.nonce());
    q.put("code_challenge", challenge(login.verifier()));
    q.put("code_challenge_method", "S256");
    q.put("prompt", "login");
    return e.authorization() + (e.authorization().contains("?") ? "&" : "?") + form(q);
  }

  /** Exchanges the code for tokens and returns the ID token. */
  String exchange(Endpoints e, String clientId, String redirect, String code, String verifier)
      throws IOException {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "authorization_code");
    f.put("code", code);
    f.put("redirect_uri", redirect);
    f.put("client_id", clientId);
    f.put("code_verifier", verifier);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(e.token()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form(f)))
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IOException(
          "the issuer refused the sign-in (status " + response.statusCode() + ")");
    }
    JsonNode idToken = JSON.readTree(response.body()).get("id_token");
    if (idToken == null || idToken.asString().isBlank()) {
      throw new IOException("the issuer returned no id token");
    }
    return idToken.asString();
  }

  static String challenge(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String get(URI url) throws IOException {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build());
    if (r.statusCode() != 200) {
      throw new IOException("issuer discovery at " + url + " answered " + r.statusCode());
    }
    return r.body();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while talking to the issuer", e);
    }
  }

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(
            v ->
                URLEncoder.encode(v.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
