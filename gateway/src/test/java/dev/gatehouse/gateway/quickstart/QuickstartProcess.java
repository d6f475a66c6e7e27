package dev.gatehouse.gateway.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.Cli;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gatehouse quickstart} running in this JVM, known only through the JSON file it writes, as
 * a user's scripts know it.
 */
final class QuickstartProcess {

  private final Thread thread;
  private final JsonNode info;

  private QuickstartProcess(Thread thread, JsonNode info) {
    this.thread = thread;
    this.info = info;
  }

  /** Runs the command on its own thread and waits for its JSON file. */
  static QuickstartProcess start(Path dir) throws Exception {
    Path json = dir.resolve("quickstart.json");
    Thread thread =
        new Thread(
            () ->
                Cli.run(
                    "quickstart", "--json", json.toString(), "--dir", dir.resolve("qs").toString()),
            "quickstart-it");
    thread.start();
    // Ready, or failed: either way no reason to wait longer.
    Eventually.holdsWithin(Duration.ofSeconds(120), () -> Files.exists(json) || !thread.isAlive());
    assertThat(Files.exists(json)).as("quickstart ready in time, still running").isTrue();
    return new QuickstartProcess(
        thread, JsonMapper.builder().build().readTree(Files.readString(json)));
  }

  /** Stops it the way the command documents for in-process callers: interrupting its thread. */
  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join(60_000);
  }

  String config() {
    return info.get("config").asString();
  }

  String adminUrl() {
    return info.get("admin").get("url").asString();
  }

  String mcpUrl() {
    return info.get("mcp").get("url").asString();
  }

  String token(String principal) {
    return info.get("principals").get(principal).get("token").asString();
  }

  /** A pgjdbc connection through the wire proxy as {@code principal}. */
  Connection connect(String principal) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", principal);
    p.setProperty("password", token(principal));
    p.setProperty("sslmode", "disable");
    String url =
        "jdbc:postgresql://"
            + info.get("wire").get("host").asString()
            + ":"
            + info.get("wire").get("port").asInt()
            + "/"
            + info.get("database").asString();
    return DriverManager.getConnection(url, p);
  }

  /**
   * The id of the pending request of etl-nightly for {@code sql}, as {@code approvals list} shows
   * it.
   */
  String pendingRequest(String sql) throws InterruptedException {
    // ID, REQUESTER, DATABASE, EXPIRES, RULES, STATEMENTS (one word for one statement), SQL
    Pattern row =
        Pattern.compile(
            "([0-9a-f-]{36})\\s+etl-nightly\\s+shop\\s+\\S+\\s+\\S+\\s+\\S+\\s+"
                + Pattern.quote(sql));
    String[] id = {null};
    Eventually.await(
        "a pending approval request for `" + sql + "`",
        Duration.ofSeconds(30),
        () -> {
          Cli.Run list = Cli.run("approvals", "list", "--url", adminUrl(), "--token", token("dba"));
          assertThat(list.exit()).as(list.err()).isZero();
          Matcher m = row.matcher(list.out());
          if (m.find()) {
            id[0] = m.group(1);
          }
          return id[0] != null;
        });
    return id[0];
  }

  /** Email and ssn of the first three customers, in clear, read directly. */
  static List<String> clearValues() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = TestPostgres.get().connectAsAdmin("shop");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email, ssn FROM app.customers ORDER BY id LIMIT 3")) {
      while (rs.next()) {
        out.add(rs.getString(1));
        out.add(rs.getString(2));
      }
    }
    return out;
  }
}
