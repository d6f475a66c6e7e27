package dev.gatehouse.testkit.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testkit.TestIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The quickstart issuer's registration, sign-in and resource indicators, over HTTP: what MCP
 * clients get, and what it refuses (unregistered redirect URIs, no PKCE, forged claims, tokens for
 * a resource it does not serve).
 */
class IssuerFrontIT {

  private static final String REDIRECT = "http://127.0.0.1:9/callback";
  private static final String VERIFIER = "a-verifier-of-forty-three-characters-or-more-0123456789";
  private static final URI RESOURCE = URI.create("http://127.0.0.1:1/mcp");

  private final TestIssuer issuer = TestIssuer.get();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metadataNamesTheRegistrationEndpointWhereverClientsLook() throws Exception {
    URI base = URI.create(issuer.issuerUrl());
    for (String path :
        List.of(
            "/.well-known/oauth-authorization-server/gatehouse",
            "/.well-known/openid-configuration/gatehouse",
            "/gatehouse/.well-known/oauth-authorization-server",
            "/gatehouse/.well-known/openid-configuration")) {
      HttpResponse<String> r = get(base.resolve(path).toString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      Map<String, Object> doc = JSONObjectUtils.parse(r.body());
      assertThat(doc.get("issuer")).as(path).isEqualTo(issuer.issuerUrl());
      assertThat(doc.get("registration_endpoint")).isEqualTo(issuer.registrationEndpoint());
      assertThat(doc.get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
      assertThat(doc.get("jwks_uri")).isEqualTo(issuer.jwksUrl());
    }
  }

  @Test
  void registrationRefusesARedirectToAnotherHostOverHttp() throws Exception {
    HttpResponse<String> r = register("{\"redirect_uris\": [\"http://evil.example/cb\"]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSONObjectUtils.parse(r.body()).get("error")).isEqualTo("invalid_redirect_uri");
    assertThat(register("{\"client_name\": \"x\"}").statusCode()).isEqualTo(400);
    assertThat(register("not json").statusCode()).isEqualTo(400);
  }

  @Test
  void aSignedInPrincipalGetsATokenForTheResourceItAskedFor() throws Exception {
    issuer.allowResource(RESOURCE);
    String clientId = clientId();
    String code = signIn(clientId, "support-lead", null);
    HttpResponse<String> token = token(clientId, code, RESOURCE.toString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    var claims =
        SignedJWT.parse((String) JSONObjectUtils.parse(token.body()).get("access_token"))
            .getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("support-lead");
    assertThat(claims.getAudience()).containsExactly(RESOURCE.toString());
    assertThat(claims.getStringListClaim("groups")).containsExactly("analysts", "pii-cleared");
    assertThat(claims.getIssuer()).isEqualTo(issuer.issuerUrl());
  }

  @Test
  void aTokenForAResourceTheIssuerDoesNotServeIsRefused() throws Exception {
    String clientId = clientId();
    String code = signIn(clientId, "analyst", null);
    HttpResponse<String> token = token(clientId, code, "http://elsewhere.example/mcp");
    assertThat(token.statusCode()).isEqualTo(400);
    assertThat(token.body()).contains("invalid_target");
  }

  @Test
  void theSignInRefusesUnregisteredRedirectsMissingPkceAndForgedClaims() throws Exception {
    String clientId = clientId();
    HttpResponse<String> elsewhere = get(authorizeUrl(clientId, "http://127.0.0.1:9/other", true));
    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(elsewhere.headers().firstValue("Location")).isEmpty();

    HttpResponse<String> noPkce = get(authorizeUrl(clientId, REDIRECT, false));
    assertThat(noPkce.statusCode()).isEqualTo(302);
    assertThat(noPkce.headers().firstValue("Location").orElseThrow())
        .startsWith(REDIRECT + "?error=invalid_request")
        .contains("state=s1");

    // The analyst claiming the dba's group: the sign-in is refused, no code is issued.
    assertThat(signInStatus(clientId, "analyst", "{\"groups\":[\"dba\"]}")).isEqualTo(400);
    assertThat(signInStatus(clientId, "nobody", "{}")).isEqualTo(400);
  }

  private String clientId() throws Exception {
    HttpResponse<String> r =
        register("{\"redirect_uris\": [\"" + REDIRECT + "\"], \"client_name\": \"it\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) JSONObjectUtils.parse(r.body()).get("client_id");
  }

  /** Submits the sign-in page's form for {@code subject} (or with {@code claims} instead). */
  private String signIn(String clientId, String subject, String claims) throws Exception {
    HttpResponse<String> done = submit(clientId, subject, claims);
    String location = done.headers().firstValue("Location").orElseThrow();
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    assertThat(code.find()).as(location).isTrue();
    return code.group(1);
  }

  private int signInStatus(String clientId, String subject, String claims) throws Exception {
    return submit(clientId, subject, claims).statusCode();
  }

  private HttpResponse<String> submit(String clientId, String subject, String claims)
      throws Exception {
    HttpResponse<String> page = get(authorizeUrl(clientId, REDIRECT, true));
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher form =
        Pattern.compile(
                "action=\"([^\"]+)\"><input type=\"hidden\" name=\"username\" value=\""
                    + Pattern.quote(subject.equals("nobody") ? "analyst" : subject)
                    + "\"><input type=\"hidden\" name=\"claims\" value=\"([^\"]+)\"")
            .matcher(page.body());
    assertThat(form.find()).as(page.body()).isTrue();
    String action = form.group(1).replace("&amp;", "&");
    String sent = claims != null ? claims : form.group(2).replace("&quot;", "\"");
    String body = "username=" + enc(subject) + "&claims=" + enc(sent);
    return http.send(
        HttpRequest.newBuilder(URI.create(issuer.issuerUrl()).resolve(action))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String authorizeUrl(String clientId, String redirect, boolean pkce) throws Exception {
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
    return issuer.issuerUrl()
        + "/authorize?response_type=code&client_id="
        + enc(clientId)
        + "&redirect_uri="
        + enc(redirect)
        + "&state=s1&scope=openid"
        + (pkce ? "&code_challenge=" + challenge + "&code_challenge_method=S256" : "");
  }

  private HttpResponse<String> token(String clientId, String code, String resource)
      throws Exception {
    String body =
        "grant_type=authorization_code&code="
            + enc(code)
            + "&redirect_uri="
            + enc(REDIRECT)
            + "&client_id="
            + enc(clientId)
            + "&code_verifier="
            + enc(VERIFIER)
            + "&resource="
            + enc(resource);
    return http.send(
        HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> register(String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(issuer.registrationEndpoint()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
