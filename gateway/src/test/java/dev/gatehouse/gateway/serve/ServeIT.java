package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} and {@code mcp-stdio} as an operator runs them: the packaged jar, a config made
 * from {@code examples/gatehouse.yaml} (only addresses changed), secrets in the environment.
 */
class ServeIT {

  @TempDir static Path dir;
  private static Path config;
  private static Map<String, String> env;

  @BeforeAll
  static void writeConfig() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String control = pg.createEmptyDatabase("serve_control");
    String adapted =
        ExampleConfig.adapted(pg, control, "5s")
            // Nothing leaves this machine: the Slack Web API is a closed loopback port.
            .replace("apiUrl: https://slack.com/api/", "apiUrl: http://127.0.0.1:9/api/");
    assertThat(adapted).doesNotContain("5432/gatehouse").doesNotContain("slack.com/api");
    config = ExampleConfig.write(dir, adapted);
    env = ExampleConfig.env(pg, "xoxb-1-2-serveit", "0123456789abcdef0123");
  }

  private static ProcessBuilder gatehouse(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String[] command = new String[args.length + 3];
    command[0] = java;
    command[1] = "-jar";
    command[2] = Path.of("target", "gatehouse.jar").toString();
    System.arraycopy(args, 0, command, 3, args.length);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    return pb;
  }

  @Test
  void serveLogsJsonServesEverythingAndDrainsOnSigterm() throws Exception {
    Path err = dir.resolve("serve-stderr.txt");
    Process serve =
        gatehouse("serve", "--config", config.toString(), "--log-format", "json")
            .redirectError(err.toFile())
            .redirectOutput(dir.resolve("serve-stdout.txt").toFile())
            .start();
    try {
      Matcher listening =
          Pattern.compile("gatehouse listening: wire ([0-9.]+):(\\d+), http (\\d+)").matcher("");
      // Listening, or dead: either way no reason to wait longer.
      Eventually.holdsWithin(
          Duration.ofSeconds(90),
          () -> listening.reset(Files.readString(err)).find() || !serve.isAlive());
      assertThat(listening.reset(Files.readString(err)).find()).as(Files.readString(err)).isTrue();
      int wirePort = Integer.parseInt(listening.group(2));
      String http = "http://127.0.0.1:" + listening.group(3);
      for (String line : Files.readAllLines(err)) {
        if (!line.startsWith("WARNING:") && !line.isBlank()) {
          assertThat(line)
              .as("a JSON log line")
              .startsWith("{")
              .endsWith("}")
              .contains("\"level\"");
        }
      }
      try (HttpClient client = HttpClient.newHttpClient()) {
        HttpResponse<String> health =
            client.send(
                HttpRequest.newBuilder(URI.create(http + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> slack =
            client.send(
                HttpRequest.newBuilder(URI.create(http + "/slack/interactions"))
                    .header(
                        "X-Slack-Request-Timestamp",
                        String.valueOf(System.currentTimeMillis() / 1000))
                    .header("X-Slack-Signature", "v0=" + "00".repeat(32))
                    .POST(HttpRequest.BodyPublishers.ofString("payload=%7B%7D"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slack.statusCode()).as("an unsigned Slack callback").isEqualTo(401);

        Properties p = new Properties();
        p.setProperty("user", "analyst");
        p.setProperty("password", TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST));
        p.setProperty("sslmode", "disable");
        Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + wirePort + "/shop", p);
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM app.customers")) {
          rs.next();
          assertThat(rs.getLong(1)).isPositive();
        }
        HttpResponse<String> closed =
            client.send(
                HttpRequest.newBuilder(URI.create(http + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(closed.statusCode()).as("metrics without the token").isEqualTo(401);
        assertThat(closed.body()).doesNotContain("gatehouse_");
        HttpResponse<String> metrics =
            client.send(
                HttpRequest.newBuilder(URI.create(http + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + ExampleConfig.METRICS_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
            .contains("gatehouse_wire_connections 1.0")
            .containsPattern(
                "gatehouse_statements_total\\{channel=\"wire\",decision=\"allow\"} [1-9]");

        // SIGTERM with a session open: the gateway waits for it (drain), then exits.
        long stopAt = System.nanoTime();
        serve.destroy();
        // The wire listener closes first, then open sessions drain: a refused connection shows
        // the stop is under way, so a gateway that did not wait for the session would be gone.
        Eventually.await("the wire port closed", Duration.ofSeconds(30), () -> !accepts(wirePort));
        assertThat(serve.isAlive()).as("still draining the open session").isTrue();
        c.close();
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.printf(
            "serve stopped %.1f s after SIGTERM%n", (System.nanoTime() - stopAt) / 1e9);
      }
    } finally {
      serve.destroyForcibly();
    }
  }

  @Test
  void aBadConfigIsOneLineOnStderrAndNothingListens() throws Exception {
    String good = Files.readString(config);
    Map<String, String> cases =
        Map.of(
            "unknown field", good.replace("  idleTimeout: 0s", "  idleTimout: 0s"),
            "wrong type", good.replace("  maxConnections: 1000", "  maxConnections: many"),
            "missing secret",
                good.replace("${env:GATEHOUSE_AUDIT_KEY}", "${env:GATEHOUSE_NO_SUCH_KEY}"),
            "unreachable database", good.replace(":" + TestPostgres.get().port() + "/", ":9/"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path bad = dir.resolve("bad.yaml");
      Files.writeString(bad, c.getValue());
      Process p = gatehouse("serve", "--config", bad.toString()).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(c.getKey() + ": " + err).isEqualTo(2);
      assertThat(out).as(c.getKey()).isEmpty();
      var lines = err.lines().filter(l -> !l.startsWith("WARNING:") && !l.isBlank()).toList();
      assertThat(lines).as(c.getKey()).hasSize(1);
      assertThat(lines.get(0))
          .as(c.getKey())
          .startsWith("gatehouse: config `" + bad + "` line ")
          .contains(", field `");
      System.out.println(c.getKey() + ": " + lines.get(0));
    }
  }

  @Test
  void mcpStdioSpeaksJsonRpcOnStdoutAndLogsOnStderr() throws Exception {
    ProcessBuilder pb = gatehouse("mcp-stdio", "--config", config.toString());
    pb.environment().put("GATEHOUSE_TOKEN", TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST));
    Path err = dir.resolve("stdio-stderr.txt");
    Process stdio = pb.redirectError(err.toFile()).start();
    try (OutputStream in = stdio.getOutputStream();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(stdio.getInputStream(), StandardCharsets.UTF_8))) {
      in.write(
          ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                  + "\"capabilities\":{},\"clientInfo\":{\"name\":\"serve-it\",\"version\":\"1\"}}}\n"
                  + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                  + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"query\","
                  + "\"arguments\":{\"sql\":\"SELECT email FROM app.customers ORDER BY id LIMIT 2\"}}}\n")
              .getBytes(StandardCharsets.UTF_8));
      in.flush();
      String init = out.readLine();
      String call = out.readLine();
      assertThat(init)
          .as(Files.readString(err))
          .startsWith("{")
          .contains("\"id\":1")
          .contains("serverInfo");
      assertThat(call)
          .startsWith("{")
          .contains("\"id\":2")
          .contains("****")
          .doesNotContain("\"isError\":true");
    }
    assertThat(stdio.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(stdio.exitValue()).isZero();
  }

  private static boolean accepts(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
