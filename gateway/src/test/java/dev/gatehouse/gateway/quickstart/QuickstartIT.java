package dev.gatehouse.gateway.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.gateway.Cli;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart, in process, driven only through the JSON it writes: every reference principal
 * over the wire, an agent over MCP, an approval decided with the CLI, then the operator commands.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartIT {

  @TempDir static Path dir;
  private static QuickstartProcess qs;
  private static String config;

  @BeforeAll
  static void start() throws Exception {
    qs = QuickstartProcess.start(dir);
    config = qs.config();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (qs != null) {
      qs.stop();
    }
  }

  static String token(String principal) {
    return qs.token(principal);
  }

  static Connection connect(String principal) throws SQLException {
    return qs.connect(principal);
  }

  @Test
  @Order(1)
  void theAnalystSeesEmailAndSsnMasked() throws SQLException {
    List<String> clear = QuickstartProcess.clearValues();
    try (Connection c = connect("analyst");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email, ssn FROM app.customers ORDER BY id LIMIT 3")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getString("email")).matches("[a-z]\\*+@[a-z.]+").isNotIn(clear);
        assertThat(rs.getString("ssn")).doesNotContainPattern("\\d").isNotIn(clear);
      }
      assertThat(rows).isEqualTo(3);
    }
  }

  @Test
  @Order(1)
  void theSupportLeadSeesThemInClear() throws SQLException {
    List<String> clear = QuickstartProcess.clearValues();
    try (Connection c = connect("support-lead");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email, ssn FROM app.customers ORDER BY id LIMIT 3")) {
      List<String> seen = new ArrayList<>();
      while (rs.next()) {
        seen.add(rs.getString(1));
        seen.add(rs.getString(2));
      }
      assertThat(seen).isEqualTo(clear);
    }
    // A lookup by a literal value, which the dba (not cleared) must not read back from the trail.
    try (Connection c = connect("support-lead");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id FROM app.customers WHERE ssn = '" + clear.get(1) + "' /* ssn */")) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  @Order(1)
  void theContractorIsDenied() {
    assertThatThrownBy(
            () -> {
              try (Connection c = connect("contractor");
                  Statement s = c.createStatement()) {
                s.executeQuery("SELECT * FROM app.orders LIMIT 1");
              }
            })
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
  }

  @Test
  @Order(2)
  void aDropByTheEtlJobWaitsForTheDbaAndThenRuns() throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin("shop");
        Statement s = admin.createStatement()) {
      s.execute("SET ROLE gatehouse_owner");
      s.execute("CREATE TABLE app.quickstart_scratch (id int)");
    }
    String admin = qs.adminUrl();
    CompletableFuture<Void> drop =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = connect("etl-nightly");
                  Statement s = c.createStatement()) {
                s.execute("DROP TABLE app.quickstart_scratch");
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    String id = qs.pendingRequest("DROP TABLE app.quickstart_scratch");
    assertThat(drop).isNotDone();

    Cli.Run self =
        Cli.run("approvals", "approve", id, "--url", admin, "--token", token("etl-nightly"));
    assertThat(self.exit()).isEqualTo(2);
    assertThat(self.err()).contains("the gateway refused (403)");

    Cli.Run approve = Cli.run("approvals", "approve", id, "--url", admin, "--token", token("dba"));
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(approve.out()).contains("state:     APPROVED").contains("decided:   dba");
    drop.get(30, TimeUnit.SECONDS);
    try (Connection c = TestPostgres.get().connectAsAdmin("shop");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('app.quickstart_scratch')")) {
      rs.next();
      assertThat(rs.getString(1)).isNull();
    }
  }

  @Test
  @Order(3)
  void aDbaDeniesWithAReasonAndTheStatementFails() throws Exception {
    String admin = qs.adminUrl();
    CompletableFuture<SQLException> truncate =
        CompletableFuture.supplyAsync(
            () -> {
              try (Connection c = connect("etl-nightly");
                  Statement s = c.createStatement()) {
                s.execute("TRUNCATE app.payments");
                return null;
              } catch (SQLException e) {
                return e;
              }
            });
    String id = qs.pendingRequest("TRUNCATE app.payments");
    Cli.Run show = Cli.run("approvals", "show", id, "--url", admin, "--token", token("dba"));
    assertThat(show.out()).contains("state:     PENDING").contains("TRUNCATE app.payments");
    Cli.Run deny =
        Cli.run(
            "approvals",
            "deny",
            id,
            "--reason",
            "not during business hours",
            "--url",
            admin,
            "--token",
            token("dba"));
    assertThat(deny.exit()).as(deny.err()).isZero();
    assertThat(deny.out()).contains("state:     DENIED");
    SQLException refused = truncate.get(30, TimeUnit.SECONDS);
    assertThat((Object) refused).isNotNull();
    assertThat(refused.getSQLState()).isEqualTo("42501");
  }

  @Test
  @Order(2)
  void anAgentQueriesOverMcpAsTheAnalyst() throws SQLException {
    URI mcp = URI.create(qs.mcpUrl());
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(mcp.getScheme() + "://" + mcp.getAuthority())
            .endpoint(mcp.getPath())
            .httpRequestCustomizer(
                (builder, method, uri, body, context) ->
                    builder.header("Authorization", "Bearer " + token("analyst")))
            .build();
    try (McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(30))
            .clientInfo(new McpSchema.Implementation("quickstart-it", "1"))
            .build()) {
      client.initialize();
      McpSchema.CallToolResult result =
          client.callTool(
              new McpSchema.CallToolRequest(
                  "query",
                  Map.of("sql", "SELECT email, ssn FROM app.customers ORDER BY id LIMIT 3")));
      assertThat(result.isError()).isFalse();
      String text = ((McpSchema.TextContent) result.content().getFirst()).text();
      assertThat(text).contains("****");
      for (String value : QuickstartProcess.clearValues()) {
        assertThat(text).doesNotContain(value);
      }
    }
  }

  @Test
  @Order(3)
  void theCorporaPassThePolicyCheck() {
    for (String file : List.of("attacks.jsonl", "benign.jsonl")) {
      Cli.Run r =
          Cli.run(
              "policy",
              "check",
              "--config",
              config,
              "--corpus",
              Path.of("..", "corpus", file).toString());
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      Matcher m = Pattern.compile("(\\d+) passed, (\\d+) failed").matcher(r.out());
      assertThat(m.find()).as(r.out()).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isGreaterThan(30);
      assertThat(m.group(2)).isEqualTo("0");
      System.out.println(file + ": " + m.group());
    }
  }

  @Test
  @Order(1)
  void theSecretsItWroteAreReadableByTheUserOnly() throws Exception {
    Path secrets = Path.of(config).resolveSibling("secrets");
    assertThat(Files.getPosixFilePermissions(secrets))
        .containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.readString(Path.of(config)))
        .doesNotContain(TestPostgres.get().reader().password());
  }

  @Test
  @Order(3)
  void policyCheckVerifiesARealToken() {
    Cli.Run r =
        Cli.run(
            "policy",
            "check",
            "--config",
            config,
            "--token",
            token("contractor"),
            "--sql",
            "SELECT * FROM app.orders");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("principal:   contractor").contains("decision:    DENY");
    Cli.Run forged =
        Cli.run(
            "policy",
            "check",
            "--config",
            config,
            "--token",
            token("contractor") + "x",
            "--sql",
            "SELECT 1");
    assertThat(forged.exit()).isNotZero();
  }

  @Test
  @Order(3)
  void policyCheckShowsTheMaskPlan() {
    Cli.Run r =
        Cli.run(
            "policy",
            "check",
            "--config",
            config,
            "--principal",
            "analyst",
            "--sql",
            "SELECT email, ssn, name FROM app.customers");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("decision:    ALLOW")
        .contains("rules:       analysts-read")
        .contains("email: masked by rule `customers-email`")
        .contains("ssn: masked by rule `customers-ssn`")
        .contains("name: clear unless a detector fires");
  }

  @Test
  @Order(4)
  void metricsCountDecisionsAndHealthIsUp() throws Exception {
    String admin = qs.adminUrl();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(admin + "/actuator/prometheus")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .containsPattern("gatehouse_statements_total\\{channel=\"wire\",decision=\"deny\"} [1-9]")
          .contains("gatehouse_decision_seconds_bucket")
          .contains("gatehouse_wire_connections")
          .contains("gatehouse_approvals_pending")
          .contains("gatehouse_audit_pending");
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(admin + "/actuator/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).contains("\"status\":\"UP\"");
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create(admin + "/admin/approvals")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      HttpResponse<String> audit =
          http.send(
              HttpRequest.newBuilder(URI.create(admin + "/admin/audit?decision=deny&since=1h"))
                  .header("Authorization", "Bearer " + token("dba"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
      assertThat(audit.body())
          .contains("\"subject\":\"contractor\"")
          .doesNotContain("\"subject\":\"analyst\"");
      HttpResponse<String> cleared =
          http.send(
              HttpRequest.newBuilder(URI.create(admin + "/admin/audit?subject=support-lead"))
                  .header("Authorization", "Bearer " + token("dba"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
      // The dba is no pii-cleared reader: the support lead's literals are withheld (red-team R18).
      assertThat(cleared.body())
          .contains("FROM app.customers WHERE ssn = '?'")
          .doesNotContain(QuickstartProcess.clearValues().get(1))
          .doesNotContain("/* ssn */");
      HttpResponse<String> notAnAuditor =
          http.send(
              HttpRequest.newBuilder(URI.create(admin + "/admin/audit"))
                  .header("Authorization", "Bearer " + token("analyst"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(notAnAuditor.statusCode()).isEqualTo(403);
    }
  }

  @Test
  @Order(5)
  void theAuditTrailVerifiesAndIsSearchable() {
    Cli.Run verify = Cli.run("audit", "verify", "--config", config);
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("audit trail intact");
    Cli.Run search =
        Cli.run("audit", "search", "--config", config, "--decision", "deny", "--format", "csv");
    assertThat(search.exit()).as(search.err()).isZero();
    assertThat(search.out()).contains("contractor").doesNotContain(",analyst,");
  }

  @Test
  @Order(6)
  void aChangedRecordIsNamedByAuditVerify() throws Exception {
    var cfg = new dev.gatehouse.gateway.config.GatewayConfigReader().read(Path.of(config));
    String database =
        cfg.control().jdbcUrl().substring(cfg.control().jdbcUrl().lastIndexOf('/') + 1);
    try (Connection c = TestPostgres.get().connectAsAdmin(database);
        Statement s = c.createStatement()) {
      int changed =
          s.executeUpdate(
              "UPDATE gatehouse_audit.audit_entry SET body = replace(body, 'contractor', 'someone')"
                  + " WHERE kind = 'STATEMENT' AND body LIKE '%contractor%'");
      assertThat(changed).isPositive();
    }
    Cli.Run verify = Cli.run("audit", "verify", "--config", config);
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.out()).contains("TAMPERED at record").contains("audit trail TAMPERED");
  }

  @Test
  @Order(5)
  void theReviewListsThePrincipalsThatWereActive() {
    Cli.Run r = Cli.run("review", "report", "--config", config, "--since", "1h");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("| analyst |")
        .contains("| contractor |")
        .contains("| etl-nightly |")
        .contains("| support-lead |")
        .contains("app.customers.email");
    Cli.Run json =
        Cli.run("review", "report", "--config", config, "--since", "1h", "--format", "json");
    assertThat(json.exit()).isZero();
    assertThat(json.out()).contains("\"subject\" : \"analyst\"");
  }
}
