package dev.gatehouse.testkit;

import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.testkit.issuer.IssuerFront;
import dev.gatehouse.testkit.issuer.PrincipalPicker;
import dev.gatehouse.testkit.issuer.ResourceAudience;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OIDC issuer for tests (no.nav.security mock-oauth2-server, in process), started once per
 * JVM. It serves discovery, JWKS and a token endpoint, and signs tokens for the reference
 * principals.
 *
 * <p>Two issuers live on the server: {@link #TRUSTED_ID}, which the reference policy trusts, and
 * {@link #UNTRUSTED_ID}, with its own signing key, for negative tests.
 */
public final class TestIssuer {

  /** Issuer id of the trusted issuer; its URL ends with this path segment. */
  public static final String TRUSTED_ID = "gatehouse";

  /** Issuer id of a second issuer that no policy trusts. */
  public static final String UNTRUSTED_ID = "untrusted";

  /** The audience every reference token carries. */
  public static final String AUDIENCE = "gatehouse";

  private static final long DEFAULT_TTL_SECONDS = 3600;
  private static volatile TestIssuer instance;

  private final MockOAuth2Server server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ResourceAudience audience;

  private TestIssuer(MockOAuth2Server server, ResourceAudience audience) {
    this.server = server;
    this.audience = audience;
  }

  /** The running issuer, started on first use. */
  public static TestIssuer get() {
    TestIssuer local = instance;
    if (local == null) {
      synchronized (TestIssuer.class) {
        local = instance;
        if (local == null) {
          local = start();
          instance = local;
        }
      }
    }
    return local;
  }

  private static TestIssuer start() {
    // The client-credentials grant of etl-nightly is answered from this mapping, exactly as a CI
    // provider's token service would: the job authenticates as its client and gets its claims.
    String config =
        """
        {
          "interactiveLogin": false,
          "tokenCallbacks": [
            {
              "issuerId": "%s",
              "tokenExpiry": %d,
              "requestMappings": [
                {
                  "requestParam": "client_id",
                  "match": "etl-nightly",
                  "claims": {
                    "sub": "etl-nightly",
                    "aud": ["%s"],
                    "client_id": "etl-nightly",
                    "groups": ["etl"],
                    "repository": "shop/etl-jobs",
                    "ref": "refs/heads/main"
                  }
                }
              ]
            }
          ]
        }
        """
            .formatted(TRUSTED_ID, DEFAULT_TTL_SECONDS, AUDIENCE);
    OAuth2Config parsed = OAuth2Config.Companion.fromJson(config);
    // MCP clients: resource indicators at the token endpoint, registration and a principal
    // picker in front of the authorization endpoint (docs/mcp.md, "OAuth for MCP clients").
    ResourceAudience audience = new ResourceAudience(parsed.getTokenCallbacks().iterator().next());
    OAuth2Config withResources =
        new OAuth2Config(
            parsed.getInteractiveLogin(),
            parsed.getLoginPagePath(),
            parsed.getStaticAssetsPath(),
            parsed.getRotateRefreshToken(),
            parsed.getTokenProvider(),
            Set.of(audience),
            parsed.getHttpServer());
    IssuerFront front = new IssuerFront(TRUSTED_ID, new PrincipalPicker(people()));
    MockOAuth2Server server = new MockOAuth2Server(withResources, front);
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(server::shutdown, "gatehouse-test-issuer-stop"));
    return new TestIssuer(server, audience);
  }

  /** The persons of the reference policy as the sign-in page offers them, with their claims. */
  private static List<PrincipalPicker.Person> people() {
    return Arrays.stream(ReferencePrincipal.values())
        .filter(p -> !p.workload())
        .map(p -> new PrincipalPicker.Person(p.subject(), personClaims(p)))
        .toList();
  }

  private static Map<String, Object> personClaims(ReferencePrincipal principal) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("groups", principal.groups());
    claims.put("email", principal.subject() + "@shop.example");
    claims.put("name", principal.subject());
    return claims;
  }

  /**
   * Lets the token endpoint issue tokens whose {@code aud} is {@code resource} when a client asks
   * for it (RFC 8707 {@code resource}), as an MCP client does for the MCP endpoint it calls.
   */
  public void allowResource(URI resource) {
    audience.allow(resource);
  }

  /** The trusted issuer's dynamic client registration endpoint (RFC 7591). */
  public String registrationEndpoint() {
    return issuerUrl() + "/register";
  }

  /** The trusted issuer's {@code iss} value. */
  public String issuerUrl() {
    return server.issuerUrl(TRUSTED_ID).toString();
  }

  public String discoveryUrl() {
    return server.wellKnownUrl(TRUSTED_ID).toString();
  }

  public String jwksUrl() {
    return server.jwksUrl(TRUSTED_ID).toString();
  }

  public String tokenEndpoint() {
    return server.tokenEndpointUrl(TRUSTED_ID).toString();
  }

  public String untrustedIssuerUrl() {
    return server.issuerUrl(UNTRUSTED_ID).toString();
  }

  public String untrustedJwksUrl() {
    return server.jwksUrl(UNTRUSTED_ID).toString();
  }

  /** The underlying server, for tests that need more than this class offers. */
  public MockOAuth2Server server() {
    return server;
  }

  /**
   * A token for {@code principal} from the trusted issuer: persons get an issued token, {@code
   * etl-nightly} goes through the real client-credentials grant at the token endpoint.
   */
  public String tokenFor(ReferencePrincipal principal) {
    if (principal.workload()) {
      return clientCredentialsToken(principal.subject(), "ci-secret");
    }
    return personToken(principal, Duration.ofSeconds(DEFAULT_TTL_SECONDS));
  }

  /** A person token for {@code principal} that lives for {@code ttl}. */
  public String personToken(ReferencePrincipal principal, Duration ttl) {
    return token(TRUSTED_ID, principal.subject(), personClaims(principal), ttl);
  }

  /** A token from issuer {@code issuerId} with audience {@link #AUDIENCE} and the given claims. */
  public String token(String issuerId, String subject, Map<String, Object> claims, Duration ttl) {
    return token(issuerId, subject, AUDIENCE, claims, ttl);
  }

  /** A token from issuer {@code issuerId} for any audience. */
  public String token(
      String issuerId, String subject, String audience, Map<String, Object> claims, Duration ttl) {
    SignedJWT jwt =
        server.issueToken(
            issuerId,
            "gatehouse-tests",
            new DefaultOAuth2TokenCallback(
                issuerId, subject, "JWT", List.of(audience), claims, ttl.toSeconds()));
    return jwt.serialize();
  }

  /** Runs the OAuth 2.0 client-credentials grant against the token endpoint, as a CI job does. */
  public String clientCredentialsToken(String clientId, String clientSecret) {
    String form =
        "grant_type=client_credentials&scope=openid&client_id="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(tokenEndpoint()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "token endpoint answered " + response.statusCode() + ": " + response.body());
      }
      Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
      if (!m.find()) {
        throw new IllegalStateException("token endpoint gave no access_token: " + response.body());
      }
      return m.group(1);
    } catch (IOException e) {
      throw new IllegalStateException("token endpoint unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching a token", e);
    }
  }
}
