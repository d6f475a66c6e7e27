package dev.gatehouse.mcp;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.stdio.McpStdio;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stdio server as a child process for tests, on the real {@link Engine}: the parent test writes
 * the policy file and creates the control database, and hands them over with the policy's own
 * environment ({@code GATEHOUSE_ISSUER_URL}, upstream host, port and passwords); the caller's token
 * is in {@code GATEHOUSE_TOKEN}. The gateway's {@code mcp-stdio} command does the same with its
 * configuration.
 */
public final class StdioTestMain {

  private StdioTestMain() {}

  public static void main(String[] args) throws Exception {
    Path spool = Files.createTempDirectory("gatehouse-stdio-spool-");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Engine.Settings settings =
        new Engine.Settings(
            Path.of(env("GATEHOUSE_TEST_POLICY_FILE")),
            Duration.ZERO,
            ControlDatabase.Settings.of(
                env("GATEHOUSE_TEST_CONTROL_URL"), env("GATEHOUSE_TEST_CONTROL_USER"), ""),
            AuditConfig.defaults("mcp-stdio-it", AuditKey.of(key), spool),
            ApprovalConfig.defaults(),
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
            Map.of("shop", "gatehouse_reader"),
            1000,
            List.of());
    int code;
    try (Engine engine = Engine.start(settings)) {
      McpServerConfig config =
          McpServerConfig.of("shop", List.of(URI.create(env("GATEHOUSE_ISSUER_URL"))));
      code = McpStdio.run(engine.gate(), config);
    }
    System.exit(code);
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null) {
      throw new IllegalStateException("set " + name);
    }
    return value;
  }
}
