package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.slack.testing.FakeSlack;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors without internals on the admin API and the Slack endpoint of a real gateway ({@code serve}
 * in process): fixed texts, never a library's message, a class name or a stack trace.
 */
class ApiErrorsIT {

  private static final String BOT_TOKEN = "xoxb-errors-token-0000";
  private static final String SIGNING_SECRET = "errors-signing-secret-0123456789abcd";

  @TempDir static Path dir;
  private static FakeSlack slack;
  private static GatewayServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String shop = pg.createShopDatabase("api_errors");
    String control = pg.createEmptyDatabase("api_errors_control");
    slack = new FakeSlack(BOT_TOKEN);
    String policy = Files.readString(Path.of("..", "examples", "reference-policy.yaml"));
    Files.writeString(
        dir.resolve("reference-policy.yaml"),
        policy.replace("\n    database: shop\n", "\n    database: " + shop + "\n"));
    String config =
        ExampleConfig.adapted(pg, control, "1s")
            .replace("reload: 10s", "reload: 0s")
            .replace("apiUrl: https://slack.com/api/", "apiUrl: " + slack.url());
    Path file = dir.resolve("gatehouse.yaml");
    Files.writeString(file, config);
    Map<String, String> env = ExampleConfig.env(pg, BOT_TOKEN, SIGNING_SECRET);
    GatewayConfig gateway = new GatewayConfigReader(env::get).read(file);
    server = GatewayServer.start(gateway, env::get);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder to(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path));
  }

  private static void assertNoInternals(String body) {
    assertThat(body)
        .doesNotContainIgnoringCase("exception")
        .doesNotContain("trace")
        .doesNotContain(".java")
        .doesNotContain("com.nimbusds")
        .doesNotContain("org.springframework")
        .doesNotContain("dev.gatehouse");
  }

  @Test
  void aTokenTheVerifierCannotReadGetsAFixedText() throws Exception {
    HttpResponse<String> r =
        send(to("/admin/approvals").header("Authorization", "Bearer not.a-jwt"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"error\":\"the token is invalid\"}");
  }

  @Test
  void theAdminApiAnswersOnlyCallersItMayAndMetricsOnlyTheirToken() throws Exception {
    assertThat(send(to("/admin/approvals")).statusCode()).as("no token").isEqualTo(401);
    String analyst = TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST);
    String dba = TestIssuer.get().tokenFor(ReferencePrincipal.DBA);
    HttpResponse<String> notAnApprover =
        send(to("/admin/audit?since=1h").header("Authorization", "Bearer " + analyst));
    assertThat(notAnApprover.statusCode()).isEqualTo(403);
    assertThat(notAnApprover.body()).contains("only the policy's approvers");
    assertThat(
            send(to("/admin/audit?since=1h").header("Authorization", "Bearer " + dba)).statusCode())
        .isEqualTo(200);
    // The example config sets a metrics token: an OIDC token, even a DBA's, is not it.
    assertThat(send(to("/actuator/prometheus")).statusCode()).isEqualTo(401);
    assertThat(
            send(to("/actuator/prometheus").header("Authorization", "Bearer " + dba)).statusCode())
        .isEqualTo(401);
    assertThat(
            send(to("/actuator/prometheus")
                    .header("Authorization", "Bearer " + ExampleConfig.METRICS_TOKEN))
                .statusCode())
        .isEqualTo(200);
    // Probes carry no token.
    assertThat(send(to("/actuator/health")).statusCode()).isEqualTo(200);
  }

  @Test
  void aDenyWithABodyThatIsNotJsonGetsAFixedText() throws Exception {
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.DBA);
    HttpResponse<String> r =
        send(
            to("/admin/approvals/" + UUID.randomUUID() + "/deny")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"trunc")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("not valid JSON");
    assertNoInternals(r.body());
  }

  @Test
  void slackEndpointRefusalsCarryNoInternals() throws Exception {
    HttpResponse<String> unsigned =
        send(
            to("/slack/interactions")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("payload=%7B")));
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertNoInternals(unsigned.body());
  }
}
