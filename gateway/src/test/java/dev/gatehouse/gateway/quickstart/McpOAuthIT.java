package dev.gatehouse.gateway.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OAuth-capable MCP client (the MCP TypeScript SDK's, {@code src/test/mcp-oauth/oauth.mjs})
 * connects to the quickstart with nothing but its URL: discovery from the 401, dynamic client
 * registration, an authorization-code + PKCE sign-in as a chosen reference principal, a token for
 * the MCP resource, then {@code tools/list} and {@code query}. Needs {@code node} (18+) and {@code
 * npm}; {@code .ci/run} installs the script's dependencies.
 */
class McpOAuthIT {

  static final Path DIR = Path.of("src/test/mcp-oauth").toAbsolutePath();

  @TempDir static Path dir;
  private static Quickstart qs;

  @BeforeAll
  static void start() throws Exception {
    installSdk();
    qs = Quickstart.start(dir, 0, 0);
  }

  /** The scripts' dependencies, when {@code .ci/run} has not installed them already. */
  static void installSdk() throws Exception {
    if (!Files.isDirectory(DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm ci in " + DIR + " failed:\n" + out);
      }
    }
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  @AfterAll
  static void stop() {
    if (qs != null) {
      qs.close();
    }
  }

  private static JsonNode run(String principal, String sql) throws Exception {
    String url = Instructions.mcpUrl(qs.running());
    Path out = Files.createTempFile(dir, "oauth-", ".json");
    Path err = Files.createTempFile(dir, "oauth-", ".log");
    Process p =
        new ProcessBuilder("node", "oauth.mjs", url, principal, sql)
            .directory(DIR.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String log = Files.readString(err, StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("the client finished: " + log).isTrue();
    assertThat(p.exitValue()).as(log + Files.readString(out)).isZero();
    return JsonMapper.builder().build().readTree(out.toFile());
  }

  @Test
  void theSdkClientRegistersSignsInAsTheAnalystAndQueries() throws Exception {
    JsonNode r = run("analyst", "SELECT id, email FROM app.customers ORDER BY id LIMIT 2");
    String mcp = Instructions.mcpUrl(qs.running());
    String issuer = r.get("token").get("iss").asString();

    List<String> exchanges = new ArrayList<>();
    r.get("exchanges").forEach(e -> exchanges.add(e.asString()));
    // Discovery from the 401, registration, the code exchange, then the calls with the token.
    assertThat(exchanges)
        .contains("POST " + mcp + " 401")
        .anyMatch(e -> e.matches("GET .*/\\.well-known/oauth-protected-resource/mcp 200"))
        .anyMatch(e -> e.matches("GET .*/\\.well-known/oauth-authorization-server/gatehouse 200"))
        .contains("POST " + issuer + "/register 201")
        .contains("POST " + issuer + "/token 200")
        .contains("POST " + mcp + " 200");
    assertThat(r.get("client").get("client_id").asString()).startsWith("mcp-");
    assertThat(r.get("client").get("token_endpoint_auth_method").asString()).isEqualTo("none");
    assertThat(r.get("authorizationUrl").asString())
        .startsWith(issuer + "/authorize?")
        .contains("code_challenge_method=S256")
        .contains("resource=" + java.net.URLEncoder.encode(mcp, StandardCharsets.UTF_8));

    JsonNode token = r.get("token");
    assertThat(token.get("sub").asString()).isEqualTo("analyst");
    assertThat(token.get("aud").toString()).contains("\"" + mcp + "\"");
    assertThat(token.get("groups").toString()).isEqualTo("[\"analysts\"]");

    List<String> tools = new ArrayList<>();
    r.get("tools").forEach(t -> tools.add(t.asString()));
    assertThat(tools).contains("query", "describe", "explain", "approval_status");
    JsonNode result = r.get("result");
    assertThat(result.path("isError").asBoolean(false)).isFalse();
    JsonNode content = result.get("structuredContent");
    assertThat(content.get("row_count").asInt()).isEqualTo(2);
    // The analyst's policy masks email: the token's groups reached the gate.
    assertThat(content.get("rows").get(0).get(1).asString()).contains("*");
  }

  @Test
  void theContractorSignedInTheSameWayIsDenied() throws Exception {
    JsonNode r = run("contractor", "SELECT id FROM app.customers LIMIT 1");
    assertThat(r.get("token").get("groups").toString()).isEqualTo("[\"contractors\"]");
    JsonNode result = r.get("result");
    assertThat(result.get("isError").asBoolean()).isTrue();
    assertThat(result.get("structuredContent").get("error").get("kind").asString())
        .isEqualTo("denied");
  }
}
