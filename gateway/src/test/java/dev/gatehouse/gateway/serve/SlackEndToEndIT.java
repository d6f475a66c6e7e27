package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.slack.config.Secret;
import dev.gatehouse.slack.testing.FakeSlack;
import dev.gatehouse.slack.testing.SignedCallbacks;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack approval flow through the whole gateway: {@code serve} in process with a fake Slack Web
 * API on loopback, the real PostgreSQL and issuer. A destructive statement of the ETL job, over the
 * wire and over MCP, is posted to Slack, approved by a signed click on the gateway's {@code POST
 * /slack/interactions}, and then runs.
 */
class SlackEndToEndIT {

  private static final String BOT_TOKEN = "xoxb-e2e-token-0000";
  private static final String SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef";
  private static final String DBA_SLACK_USER = "UDBAE2E01";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern APPROVE_ACTION =
      Pattern.compile("gatehouse\\.approve:([0-9a-f-]{36})");

  @TempDir static Path dir;
  private static FakeSlack slack;
  private static SignedCallbacks callbacks;
  private static GatewayServer server;
  private static String shop;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres pg = TestPostgres.get();
    shop = pg.createShopDatabase("slack_e2e");
    String control = pg.createEmptyDatabase("slack_e2e_control");
    slack = new FakeSlack(BOT_TOKEN);
    slack.addUser(
        new FakeSlack.User(DBA_SLACK_USER, FakeSlack.TEAM, "dba@example.com", true, false));
    callbacks = new SignedCallbacks(Secret.of(SIGNING_SECRET));

    String policy = Files.readString(Path.of("..", "examples", "reference-policy.yaml"));
    String privateShop = policy.replace("\n    database: shop\n", "\n    database: " + shop + "\n");
    assertThat(privateShop).as("the policy points at the private shop copy").isNotEqualTo(policy);
    Files.writeString(dir.resolve("reference-policy.yaml"), privateShop);

    String example = ExampleConfig.adapted(pg, control, "1s");
    int approvers = example.indexOf("  approvers:                             # who a Slack user");
    assertThat(approvers).isPositive();
    String adapted =
        example
                .substring(0, approvers)
                .replace("reload: 10s", "reload: 0s")
                .replace("channel: C0123456789", "channel: " + FakeSlack.CHANNEL)
                .replace("teamId: T0123456", "teamId: " + FakeSlack.TEAM)
                .replace("apiUrl: https://slack.com/api/", "apiUrl: " + slack.url())
            + "  approvers:\n"
            + "    - slackUser: "
            + DBA_SLACK_USER
            + "\n"
            + "      issuer: ${env:GATEHOUSE_ISSUER_URL}\n"
            + "      subject: dba\n"
            + "      groups: [dba]\n";
    assertThat(adapted).doesNotContain("5432/gatehouse").doesNotContain("slack.com/api");
    Path config = dir.resolve("gatehouse.yaml");
    Files.writeString(config, adapted);

    Map<String, String> env = ExampleConfig.env(pg, BOT_TOKEN, SIGNING_SECRET);
    GatewayConfig gateway = new GatewayConfigReader(env::get).read(config);
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

  @Test
  void aDropOverTheWireIsApprovedInSlackAndRuns() throws Exception {
    assertThat(tableExists("app.orders")).isTrue();
    CompletableFuture<Void> drop =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = etlNightlyOverTheWire();
                  Statement s = c.createStatement()) {
                s.execute("DROP TABLE app.orders");
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });

    UUID id = approveInSlack("DROP TABLE app.orders", drop);

    drop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(tableExists("app.orders")).as("app.orders dropped").isFalse();
    assertOutcomePosted(id);
  }

  @Test
  void aDropOverMcpIsApprovedInSlackAndRuns() throws Exception {
    assertThat(tableExists("app.payments")).isTrue();
    URI mcp = URI.create("http://127.0.0.1:" + server.httpPort() + "/mcp");
    String token = TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY);
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(mcp.getScheme() + "://" + mcp.getAuthority())
            .endpoint(mcp.getPath())
            .httpRequestCustomizer(
                (builder, method, uri, body, context) ->
                    builder.header("Authorization", "Bearer " + token))
            .build();
    try (McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .clientInfo(new McpSchema.Implementation("slack-e2e-it", "1"))
            .build()) {
      client.initialize();
      CompletableFuture<McpSchema.CallToolResult> call =
          CompletableFuture.supplyAsync(
              () ->
                  client.callTool(
                      new McpSchema.CallToolRequest(
                          "query", Map.of("sql", "DROP TABLE app.payments"))));

      UUID id = approveInSlack("DROP TABLE app.payments", call);

      McpSchema.CallToolResult result = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      String text = ((McpSchema.TextContent) result.content().getFirst()).text();
      assertThat(result.isError()).as(text).isFalse();
      assertThat(text).doesNotContain("approval_id");
      assertThat(tableExists("app.payments")).as("app.payments dropped").isFalse();
      assertOutcomePosted(id);
    }
  }

  /**
   * Waits for the request message of {@code sql}, checks {@code held} still waits, then clicks
   * Approve on it as the DBA.
   */
  private static UUID approveInSlack(String sql, CompletableFuture<?> held) throws Exception {
    FakeSlack.Call posted =
        slack.await(
            "chat.postMessage",
            c -> c.param("channel").equals(FakeSlack.CHANNEL) && c.param("blocks").contains(sql),
            WAIT);
    assertThat(posted.authorization()).isEqualTo("Bearer " + BOT_TOKEN);
    Matcher m = APPROVE_ACTION.matcher(posted.param("blocks"));
    assertThat(m.find()).as("an Approve button in %s", posted.param("blocks")).isTrue();
    UUID id = UUID.fromString(m.group(1));
    // The front end waits for the decision: a statement that was not held would have run.
    Eventually.await(
        "the statement waiting for its approval",
        WAIT,
        () -> server.engine().approvals().waiters(id) > 0);
    assertThat(held).as("the statement waits for its approval").isNotDone();
    assertThat(tableExists(sql.substring("DROP TABLE ".length()))).isTrue();

    SignedCallbacks.Callback click =
        callbacks.signed(callbacks.click(DBA_SLACK_USER, m.group(), id));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/slack/interactions"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(click.body()));
    click.headers().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> ack = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
    }
    return id;
  }

  /** The request message was updated: approved by dba, no buttons left. */
  private static void assertOutcomePosted(UUID id) {
    FakeSlack.Call update =
        slack.await(
            "chat.update",
            c ->
                c.param("channel").equals(FakeSlack.CHANNEL)
                    && c.param("blocks").contains(id.toString())
                    && c.param("blocks").contains("*Approved* by"),
            WAIT);
    assertThat(update.param("blocks")).contains("dba").doesNotContain("gatehouse.approve:" + id);
  }

  private static Connection etlNightlyOverTheWire() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "etl-nightly");
    p.setProperty("password", TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY));
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.wirePort() + "/shop", p);
  }

  private static boolean tableExists(String table) throws SQLException {
    try (Connection c = TestPostgres.get().connectAsAdmin(shop);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
