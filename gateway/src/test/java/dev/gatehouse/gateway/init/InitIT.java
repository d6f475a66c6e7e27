package dev.gatehouse.gateway.init;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.serve.GatewayServer;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestIssuer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse init} on a fresh PostgreSQL that has the shop schema and nothing of Gatehouse:
 * after it (twice: it is idempotent), {@code serve} with the example config starts and every case
 * of the shared corpus holds through its wire proxy.
 */
class InitIT {

  private static final Pattern SECRET =
      Pattern.compile("^(GATEHOUSE_[A-Z_]+)=(\\S+)", Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void initThenServeWithTheExampleConfigPassesTheCorpus() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setCleanDataDirectory(true).start()) {
      String admin = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres";
      try (Connection c = DriverManager.getConnection(admin);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE shop");
        s.execute("CREATE DATABASE gatehouse_control");
      }
      try (Connection c = DriverManager.getConnection(admin.replace("/postgres?", "/shop?"));
          Statement s = c.createStatement()) {
        s.execute(resource("corpus/schema.sql")); // owned by the superuser, as a DBA left it
      }
      Path config = writeConfig(pg.getPort());
      Map<String, String> env = new HashMap<>();
      env.put("GATEHOUSE_ISSUER_URL", TestIssuer.get().issuerUrl());
      env.put("GATEHOUSE_PG_HOST", "127.0.0.1");
      env.put("GATEHOUSE_PG_PORT", String.valueOf(pg.getPort()));
      env.put("GATEHOUSE_SLACK_BOT_TOKEN", "xoxb-1-2-initit");
      env.put("GATEHOUSE_SLACK_SIGNING_SECRET", "0123456789abcdef0123");
      env.put("GATEHOUSE_CONTROL_PASSWORD", "unused-trust-auth");

      String dry = init(env, config, admin, "--dry-run");
      assertThat(dry)
          .contains("CREATE ROLE gatehouse_reader")
          .contains("GRANT SELECT, INSERT, UPDATE, DELETE ON app.orders TO gatehouse_writer")
          .contains("ALTER SCHEMA app OWNER TO gatehouse_owner")
          .doesNotContain("GRANT SELECT, INSERT, UPDATE, DELETE ON app.customers");
      assertThat(roles(admin)).doesNotContain("gatehouse_reader");

      String first = init(env, config, admin);
      Matcher m = SECRET.matcher(first);
      while (m.find()) {
        env.put(m.group(1), m.group(2));
      }
      assertThat(env).containsKeys("GATEHOUSE_READER_PASSWORD", "GATEHOUSE_AUDIT_KEY");
      // again, with the secrets now set: nothing new is generated, nothing fails
      String second = init(env, config, admin);
      assertThat(second).doesNotContain("# generated now");
      assertThat(roles(admin)).contains("gatehouse_reader", "gatehouse_writer", "gatehouse_owner");
      try (Connection c = DriverManager.getConnection(admin.replace("/postgres?", "/shop?"));
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT has_table_privilege('gatehouse_reader', 'app.orders', 'INSERT'),"
                      + " has_table_privilege('gatehouse_writer', 'app.customers', 'UPDATE'),"
                      + " has_table_privilege('gatehouse_writer', 'app.orders', 'INSERT')")) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("the reader writes nothing").isFalse();
        assertThat(rs.getBoolean(2)).as("the writer never updates customers").isFalse();
        assertThat(rs.getBoolean(3)).isTrue();
      }

      var cfg = new GatewayConfigReader(env::get).read(config);
      try (GatewayServer server = GatewayServer.start(cfg, env::get)) {
        corpus(server.wirePort());
      }
    }
  }

  private void corpus(int wirePort) throws Exception {
    int passed = 0;
    List<String> failed = new ArrayList<>();
    int seen = 0;
    for (CorpusCase c : CorpusCase.all()) {
      // What init decides is who may reach which table upstream: every case that runs there is
      // run. A denial or a hold is decided by the policy before anything reaches PostgreSQL; each
      // is checked over the wire by CorpusWireIT with the same reference policy, so here every
      // eighth of them is (they were two thirds of this test's minute).
      boolean decidedBeforeUpstream = c.expect().equals("deny") || c.expect().equals("approval");
      if (decidedBeforeUpstream && seen++ % 8 != 0) {
        continue;
      }
      Properties p = new Properties();
      p.setProperty("user", c.principal());
      p.setProperty("password", TestIssuer.get().tokenFor(ReferencePrincipal.of(c.principal())));
      p.setProperty("sslmode", "disable");
      p.setProperty("preferQueryMode", "simple");
      String url = "jdbc:postgresql://127.0.0.1:" + wirePort + "/shop";
      String error = null;
      String state = null;
      StringBuilder cells = new StringBuilder();
      try (Connection conn = DriverManager.getConnection(url, p);
          Statement s = conn.createStatement()) {
        s.setQueryTimeout(30);
        if (c.sql().strip().toUpperCase(java.util.Locale.ROOT).startsWith("COPY")) {
          // pgjdbc runs COPY only through its copy API
          java.io.StringWriter copied = new java.io.StringWriter();
          conn.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyOut(c.sql(), copied);
          cells.append(copied);
        } else if (s.execute(c.sql())) {
          try (ResultSet rs = s.getResultSet()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= n; i++) {
                cells.append(rs.getString(i)).append('\n');
              }
            }
          }
        }
      } catch (SQLException | java.io.IOException e) {
        error = e.getMessage();
        state = e instanceof SQLException sql ? sql.getSQLState() : null;
      }
      boolean ok =
          switch (c.expect()) {
            case "deny" -> "42501".equals(state);
            case "approval", "approval_by_count" ->
                error != null; // waits 50 ms for an approval nobody gives
            case "masked" -> error == null && Secrets.findIn(cells.toString()) == null;
            case "deny_or_masked" ->
                "42501".equals(state)
                    || (error == null && Secrets.findIn(cells.toString()) == null);
            case "allow" -> error == null;
            // may run, fail or be denied; no cell and no error text may carry a secret
            case "no_leak" ->
                Secrets.findIn(cells.toString()) == null
                    && (error == null || Secrets.findIn(error) == null);
            default -> error == null && cells.toString().contains(c.expect().substring(6));
          };
      if (ok) {
        passed++;
      } else {
        failed.add(
            c.id()
                + " ("
                + c.expect()
                + "): "
                + (error == null ? "no error" : state + " " + error));
      }
    }
    System.out.println(
        "corpus through an init-made server: " + passed + " passed, " + failed.size() + " failed");
    assertThat(failed).isEmpty();
    assertThat(passed).isGreaterThan(300);
  }

  private Path writeConfig(int port) throws Exception {
    Files.copy(
        Path.of("..", "examples", "reference-policy.yaml"), dir.resolve("reference-policy.yaml"));
    String text =
        Files.readString(Path.of("..", "examples", "gatehouse.yaml"))
            .replace(
                "jdbc:postgresql://127.0.0.1:5432/gatehouse",
                "jdbc:postgresql://127.0.0.1:" + port + "/gatehouse_control")
            .replace("  user: gatehouse\n", "  user: postgres\n")
            .replace("  port: 6432", "  port: 0")
            .replace("  port: 8080", "  port: 0")
            .replace("approvalWait: 15m", "approvalWait: 50ms")
            .replace("apiUrl: https://slack.com/api/", "apiUrl: http://127.0.0.1:9/api/");
    return Files.writeString(dir.resolve("gatehouse.yaml"), text);
  }

  private static String init(Map<String, String> env, Path config, String admin, String... more)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "gatehouse.jar").toString(),
                "init",
                "--config",
                config.toString(),
                "--superuser-url",
                admin));
    command.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    System.out.println(out);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static List<String> roles(String admin) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(admin);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT rolname FROM pg_roles")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = InitIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
