package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The MCP endpoint as an OAuth 2.1 resource server: metadata, challenges, refused tokens. */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class McpAuthIT {

  private static final String INIT =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""";

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String token, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(INIT));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noTokenGets401PointingAtTheMetadata() throws Exception {
    HttpResponse<String> r = post(null, Map.of());
    assertThat(r.statusCode()).isEqualTo(401);
    String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(challenge)
        .isEqualTo(
            "Bearer resource_metadata=\"http://127.0.0.1:"
                + port
                + "/.well-known/oauth-protected-resource/mcp\", scope=\"gatehouse.query\"");
    assertThat(fixture.audit().authentications)
        .anyMatch(e -> e.failureReason() != null && e.failureReason().startsWith("MISSING_TOKEN"));
  }

  @Test
  void metadataDocumentNamesTheIssuer() throws Exception {
    for (String path :
        new String[] {
          "/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"
        }) {
      HttpResponse<String> r = get(path, Map.of());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/json");
      assertThat(r.body())
          .contains("\"resource\":\"http://127.0.0.1:" + port + "/mcp\"")
          .contains("\"authorization_servers\":[\"" + TestIssuer.get().issuerUrl() + "\"]")
          .contains("\"bearer_methods_supported\":[\"header\"]")
          .contains("\"scopes_supported\":[\"gatehouse.query\"]");
    }
  }

  @Test
  void forwardedHeadersShapeTheUrls() throws Exception {
    Map<String, String> proxy =
        Map.of(
            "X-Forwarded-Proto",
            "https",
            "X-Forwarded-Host",
            "db-gw.example.com",
            "X-Forwarded-Prefix",
            "/gatehouse");
    HttpResponse<String> doc = get("/.well-known/oauth-protected-resource/mcp", proxy);
    assertThat(doc.body()).contains("\"resource\":\"https://db-gw.example.com/gatehouse/mcp\"");
    HttpResponse<String> r = post(null, proxy);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith(
            "Bearer resource_metadata=\"https://db-gw.example.com/.well-known/oauth-protected-resource/gatehouse/mcp\"");
    // A forged host that would break out of the header is ignored.
    HttpResponse<String> forged = post(null, Map.of("X-Forwarded-Host", "evil\", error=\"x"));
    assertThat(forged.headers().firstValue("WWW-Authenticate").orElseThrow())
        .doesNotContain("evil");
  }

  @Test
  void untrustedIssuerWrongAudienceAndExpiredTokensGet401() throws Exception {
    TestIssuer issuer = TestIssuer.get();
    String untrusted =
        issuer.token(
            TestIssuer.UNTRUSTED_ID,
            "analyst",
            Map.of("groups", java.util.List.of("analysts")),
            Duration.ofMinutes(5));
    String wrongAudience =
        issuer.token(
            TestIssuer.TRUSTED_ID,
            "analyst",
            "another-service",
            Map.of("groups", java.util.List.of("analysts")),
            Duration.ofMinutes(5));
    String garbage = "not-a-jwt";
    for (String token : new String[] {untrusted, wrongAudience, garbage}) {
      HttpResponse<String> r = post(token, Map.of());
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("resource_metadata=")
          .contains("error=\"invalid_token\"");
      assertThat(r.body()).doesNotContain(token);
    }
    assertThat(post(untrusted, Map.of()).headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("issuer is not trusted");
    assertThat(post(wrongAudience, Map.of()).headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("audience");
  }

  @Test
  void validTokenIsAdmittedAndSdkClientSeesAuthorizationErrors() throws Exception {
    assertThat(post(TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST), Map.of()).statusCode())
        .isEqualTo(200);
    assertThatThrownBy(() -> McpClients.http(port, "not-a-jwt")).hasStackTraceContaining("401");
  }

  @Test
  void aSessionCannotBeUsedWithAnotherIdentity() throws Exception {
    HttpResponse<String> init =
        post(TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST), Map.of());
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}";
    java.util.function.Function<ReferencePrincipal, String> listAs =
        p -> {
          try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .header("Mcp-Session-Id", session)
                        .header("Authorization", "Bearer " + TestIssuer.get().tokenFor(p))
                        .POST(HttpRequest.BodyPublishers.ofString(list))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    assertThat(listAs.apply(ReferencePrincipal.ANALYST)).contains("\"query\"");
    // Answered as an unknown session: the other identity learns nothing and disturbs nothing.
    assertThat(listAs.apply(ReferencePrincipal.SUPPORT_LEAD))
        .contains("session not found")
        .doesNotContain("\"query\"");
    assertThat(listAs.apply(ReferencePrincipal.ANALYST)).contains("\"query\"");
  }
}
