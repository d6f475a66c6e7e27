package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.query;
import static dev.gatehouse.mcp.McpClients.rows;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mcp.testgate.ReferenceGates;
import dev.gatehouse.testkit.ReferencePolicyFixture;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stdio server as a real child process on the real engine, driven by the SDK's stdio client.
 */
class McpStdioIT {

  private static McpSyncClient start(String token) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters params =
        ServerParameters.builder(java)
            .args("-cp", System.getProperty("java.class.path"), StdioTestMain.class.getName())
            .env(env(token))
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    client.initialize();
    return client;
  }

  private static Map<String, String> env(String token) {
    Map<String, String> env = new HashMap<>(ReferencePolicyFixture.environment());
    env.put("GATEHOUSE_TOKEN", token);
    env.put("GATEHOUSE_TEST_POLICY_FILE", POLICY.toString());
    env.put("GATEHOUSE_TEST_CONTROL_URL", TestPostgres.get().jdbcUrl(CONTROL));
    env.put("GATEHOUSE_TEST_CONTROL_USER", TestPostgres.get().adminUser());
    return env;
  }

  private static final String DATABASE = TestPostgres.get().createShopDatabase("mcp_stdio");
  private static final String CONTROL = TestPostgres.get().createEmptyDatabase("mcp_stdio_control");
  private static final Path POLICY = policyFile();

  private static Path policyFile() {
    try {
      Path file = Files.createTempFile("stdio-policy-", ".yaml");
      return Files.writeString(file, ReferenceGates.policyFor(DATABASE));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(ReferencePrincipal.class)
  void describeAndQueryAsEachPrincipal(ReferencePrincipal principal) {
    try (McpSyncClient c = start(TestIssuer.get().tokenFor(principal))) {
      McpSchema.CallToolResult describe = call(c, "describe", Map.of("schema", "app"));
      McpSchema.CallToolResult query = query(c, "SELECT email FROM app.customers WHERE id = 1");
      switch (principal) {
        case ANALYST, ETL_NIGHTLY -> {
          assertThat(describe.isError()).as(text(describe)).isFalse();
          assertThat(text(describe)).contains("app.customers").contains("email text (masked)");
          assertThat(query.isError()).as(text(query)).isFalse();
          String email = rows(query).getFirst().getFirst();
          assertThat(email).matches("a\\*+@example\\.com");
          assertThat(Secrets.findIn(email)).isNull();
        }
        case SUPPORT_LEAD -> {
          assertThat(describe.isError()).isFalse();
          assertThat(text(describe)).contains("app.customers").doesNotContain("(masked)");
          assertThat(rows(query).getFirst().getFirst()).isEqualTo("alice@example.com");
        }
        case DBA, CONTRACTOR -> {
          assertThat(c.listTools().tools())
              .extracting(McpSchema.Tool::name)
              .containsExactly("describe");
          assertThat(describe.isError()).isTrue();
          assertThat(query.isError()).isTrue();
          assertThat(text(query)).contains("default-deny");
        }
      }
    }
  }

  @Test
  void refusedTokenStopsTheProcessBeforeItSpeaks() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), StdioTestMain.class.getName());
    pb.environment()
        .putAll(
            env(
                TestIssuer.get()
                    .token(TestIssuer.UNTRUSTED_ID, "analyst", Map.of(), Duration.ofMinutes(5))));
    Process process = pb.start();
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(new String(process.getInputStream().readAllBytes())).isEmpty();
    assertThat(new String(process.getErrorStream().readAllBytes()))
        .contains("GATEHOUSE_TOKEN was refused");
  }
}
