package dev.gatehouse.gateway.serve;

import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The documented examples ({@code examples/gatehouse.yaml}, {@code examples/reference-policy.yaml})
 * bound to the test PostgreSQL and issuer, so the gateway ITs run what users read.
 */
final class ExampleConfig {

  /** The metrics bearer token of {@link #env}. */
  static final String METRICS_TOKEN = "metrics-token-0123456789";

  private ExampleConfig() {}

  /** The example gateway config with its control database, ports and addresses made local. */
  static String adapted(TestPostgres pg, String controlDatabase, String drainTimeout)
      throws IOException {
    return Files.readString(Path.of("..", "examples", "gatehouse.yaml"))
        .replace("jdbc:postgresql://127.0.0.1:5432/gatehouse", pg.jdbcUrl(controlDatabase))
        .replace("  user: gatehouse\n", "  user: " + pg.adminUser() + "\n")
        .replace("  port: 6432", "  port: 0")
        .replace("  port: 8080", "  port: 0")
        .replace("drainTimeout: 30s", "drainTimeout: " + drainTimeout);
  }

  /**
   * Copies the reference policy beside the config and writes the config as {@code gatehouse.yaml}.
   */
  static Path write(Path dir, String config) throws IOException {
    Files.copy(
        Path.of("..", "examples", "reference-policy.yaml"), dir.resolve("reference-policy.yaml"));
    return Files.writeString(dir.resolve("gatehouse.yaml"), config);
  }

  /** The environment both examples read: secrets, issuer, upstream host and role passwords. */
  static Map<String, String> env(TestPostgres pg, String slackBotToken, String slackSecret) {
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_CONTROL_PASSWORD", pg.adminPassword());
    env.put("GATEHOUSE_AUDIT_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    env.put("GATEHOUSE_PSEUDONYM_KEY", "0123456789abcdef0123456789abcdef");
    env.put("GATEHOUSE_METRICS_TOKEN", METRICS_TOKEN);
    env.put("GATEHOUSE_SLACK_BOT_TOKEN", slackBotToken);
    env.put("GATEHOUSE_SLACK_SIGNING_SECRET", slackSecret);
    env.put("GATEHOUSE_ISSUER_URL", TestIssuer.get().issuerUrl());
    env.put("GATEHOUSE_PG_HOST", pg.host());
    env.put("GATEHOUSE_PG_PORT", String.valueOf(pg.port()));
    env.put("GATEHOUSE_READER_PASSWORD", pg.reader().password());
    env.put("GATEHOUSE_READER_CLEARED_PASSWORD", pg.readerCleared().password());
    env.put("GATEHOUSE_WRITER_PASSWORD", pg.writer().password());
    env.put("GATEHOUSE_OWNER_PASSWORD", pg.owner().password());
    return Map.copyOf(env);
  }
}
