package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.testkit.DisposablePostgres;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 18, honest health: a gateway with {@code durability: control-database} whose control
 * database stops reports {@code /actuator/health} DOWN (503, component {@code audit}) while it
 * refuses governed statements, shows the spooled backlog in {@code gatehouse.audit.lag.records},
 * and logs one WARN line for the outage and one INFO line for the recovery, not a line per refused
 * statement; restarted, the backlog drains and the health is UP again.
 */
class AuditHealthIT {

  private static final Pattern LAG =
      Pattern.compile("(?m)^gatehouse_audit_lag_records(?:\\{[^}]*})? ([0-9.eE+-]+)$");

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aStoppedControlDatabaseIsDownOnceAndUpOnce() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String shop = pg.createShopDatabase("audit_health");
    String policy = Files.readString(Path.of("..", "examples", "reference-policy.yaml"));
    Files.writeString(
        dir.resolve("reference-policy.yaml"),
        policy.replace("\n    database: shop\n", "\n    database: " + shop + "\n"));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    try (DisposablePostgres control = DisposablePostgres.create()) {
      try (Connection c = control.connect("postgres");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE control");
      }
      String config =
          ExampleConfig.adapted(pg, "unused", "1s")
              .replace(pg.jdbcUrl("unused"), control.jdbcUrl("control"))
              .replace("  user: " + pg.adminUser() + "\n", "  user: postgres\n")
              .replace("reload: 10s", "reload: 0s")
              .replace("durability: local-log", "durability: control-database")
              .replace("apiUrl: https://slack.com/api/", "apiUrl: http://127.0.0.1:9/api/");
      assertThat(config).contains("durability: control-database").contains("/control");
      Path file = dir.resolve("gatehouse.yaml");
      Files.writeString(file, config);
      Map<String, String> env =
          new HashMap<>(ExampleConfig.env(pg, "xoxb-1-2-health", "0123456789abcdef0123"));
      env.put("GATEHOUSE_CONTROL_PASSWORD", "unused-trust-auth");
      GatewayConfig gateway = new GatewayConfigReader(env::get).read(file);
      try (GatewayServer server = GatewayServer.start(gateway, env::get)) {
        assertThat(select(server)).as("a read before the outage").isNull();
        assertThat(health(server).statusCode()).isEqualTo(200);

        logs.start();
        root.addAppender(logs);
        control.stop();
        int refused = 0;
        for (int i = 0; i < 10; i++) {
          if (select(server) != null) {
            refused++;
          }
        }
        // The first read may have run upstream before its record failed (its session ends
        // FATAL); every later one is refused before it runs.
        assertThat(refused).isEqualTo(10);
        HttpResponse<String> down = health(server);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body())
            .contains("\"status\":\"DOWN\"")
            .contains("\"audit\":{\"status\":\"DOWN\"");
        assertThat(lagRecords(server)).as("spooled records in the metric").isGreaterThan(0);
        List<ILoggingEvent> warned = audit(logs, Level.WARN);
        assertThat(warned).hasSize(1);
        assertThat(warned.getFirst().getFormattedMessage())
            .startsWith("audit trail unavailable, governed statements are refused:")
            .contains("control database cannot be written");
        // No stack trace per refused statement from the front ends or admission.
        assertThat(logs.list)
            .filteredOn(e -> e.getLoggerName().startsWith("dev.gatehouse"))
            .filteredOn(e -> e.getThrowableProxy() != null)
            .isEmpty();

        control.start();
        await(() -> health(server).statusCode() == 200, "health UP after the restart");
        await(() -> lagRecords(server) == 0, "the backlog drained");
        assertThat(audit(logs, Level.INFO))
            .filteredOn(e -> e.getFormattedMessage().startsWith("audit trail available again"))
            .hasSize(1);
        assertThat(audit(logs, Level.WARN)).hasSize(1);
        assertThat(select(server)).as("a read after the outage").isNull();
      } finally {
        root.detachAppender(logs);
      }
    }
  }

  /** The audit package's events of exactly {@code level}. */
  private static List<ILoggingEvent> audit(ListAppender<ILoggingEvent> logs, Level level) {
    synchronized (logs.list) {
      return logs.list.stream()
          .filter(e -> e.getLoggerName().startsWith("dev.gatehouse.engine.audit"))
          .filter(e -> e.getLevel() == level)
          .toList();
    }
  }

  /**
   * Runs a read as the analyst on a connection of its own; null, or the SQLSTATE it failed with.
   */
  private static String select(GatewayServer server) {
    Properties p = new Properties();
    p.setProperty("user", ReferencePrincipal.ANALYST.subject());
    p.setProperty("password", TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST));
    p.setProperty("sslmode", "disable");
    p.setProperty("assumeMinServerVersion", "16");
    String url = "jdbc:postgresql://127.0.0.1:" + server.wirePort() + "/shop";
    try (Connection c = DriverManager.getConnection(url, p);
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT id FROM app.orders LIMIT 1").close();
      return null;
    } catch (SQLException e) {
      return e.getSQLState() == null ? "?" : e.getSQLState();
    }
  }

  private HttpResponse<String> health(GatewayServer server) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(base(server) + "/actuator/health")).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private double lagRecords(GatewayServer server) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(base(server) + "/actuator/prometheus"))
                      .header("Authorization", "Bearer " + ExampleConfig.METRICS_TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = LAG.matcher(body);
      assertThat(m.find()).as(body).isTrue();
      return Double.parseDouble(m.group(1));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String base(GatewayServer server) {
    return "http://127.0.0.1:" + server.httpPort();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
