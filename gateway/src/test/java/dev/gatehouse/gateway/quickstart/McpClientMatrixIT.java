package dev.gatehouse.gateway.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients we did not write, against the quickstart (reference policy, real engine): the MCP
 * TypeScript SDK client ({@code src/test/mcp-oauth/matrix.mjs}) calls every listed tool as every
 * reference principal plus denials, SQL and argument errors, a pending approval and someone else's
 * approval, validating each result against the declared output schema; the MCP Inspector CLI (the
 * same SDK) does the same for the analyst's and the contractor's cases. The Java SDK client runs in
 * mcp-server's ITs (HTTP and stdio).
 */
class McpClientMatrixIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  private static Quickstart qs;

  @BeforeAll
  static void start() throws Exception {
    McpOAuthIT.installSdk();
    qs = Quickstart.start(dir, 0, 0);
  }

  @AfterAll
  static void stop() {
    if (qs != null) {
      qs.close();
    }
  }

  private static String run(List<String> command, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile(dir, "client-", ".out");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(McpOAuthIT.DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean done = p.waitFor(180, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(done).as("finished: " + output).isTrue();
    assertThat(p.exitValue()).as(command + " failed:\n" + output).isZero();
    return output;
  }

  @Test
  void theTypeScriptSdkClientGetsSchemaValidResultsForEveryCase() throws Exception {
    String url = Instructions.mcpUrl(qs.running());
    String output =
        run(
            List.of("node", "matrix.mjs", url),
            Map.of("TOKENS", JSON.writeValueAsString(qs.running().tokens())));
    JsonNode all = JSON.readTree(output.substring(output.indexOf('[')));
    List<String> seen = new ArrayList<>();
    for (JsonNode r : all) {
      assertThat(r.has("failure")).as(r.toString()).isFalse();
      seen.add(
          r.get("principal").asString()
              + " "
              + r.get("call").asString()
              + " "
              + (r.has("tools") ? r.get("tools").toString() : r.get("kind").asString("ok")));
    }
    assertThat(seen)
        .contains(
            "analyst tools/list [\"query\",\"describe\",\"explain\",\"approval_status\"]",
            "contractor tools/list [\"describe\"]",
            "analyst query ok",
            "analyst describe ok",
            "analyst explain ok",
            "analyst approval_status approval_refused",
            "analyst sql error sql_error",
            "analyst write denied denied",
            "analyst invalid arguments invalid_arguments",
            "analyst unknown argument invalid_arguments",
            "analyst two statements ok",
            "contractor describe denied",
            "contractor hidden tool called anyway denied",
            "support-lead query ok",
            "dba tools/list [\"describe\"]",
            "etl-nightly needs approval approval_pending",
            "analyst status of someone else's approval approval_refused",
            // The analyst may not write at all: the policy denies before the approval is looked at.
            "analyst resume of someone else's approval denied");
    assertThat(seen.size()).isGreaterThanOrEqualTo(25);
  }

  @Test
  void theInspectorCliReadsResultsAndErrors() throws Exception {
    String url = Instructions.mcpUrl(qs.running());
    String analyst = qs.running().tokens().get("analyst");
    String contractor = qs.running().tokens().get("contractor");
    String ok = inspector(url, analyst, "sql=SELECT id, email FROM app.customers LIMIT 1");
    assertThat(ok).contains("\"isError\": false").contains("\"row_count\": 1");
    String sqlError = inspector(url, analyst, "sql=SELECT 1 / 0");
    assertThat(sqlError).contains("\"isError\": true").contains("\"kind\": \"sql_error\"");
    String invalid = inspector(url, analyst, "sql=5");
    assertThat(invalid).contains("\"kind\": \"invalid_arguments\"");
    String denied = inspector(url, contractor, "sql=SELECT 1");
    assertThat(denied).contains("\"isError\": true").contains("\"kind\": \"denied\"");
  }

  private static String inspector(String url, String token, String arg) throws Exception {
    List<String> command = new ArrayList<>();
    if (McpOAuthIT.onPath("mcp-inspector")) {
      command.add("mcp-inspector");
    } else {
      command.addAll(List.of("npx", "-y", "@modelcontextprotocol/inspector@0.17.2"));
    }
    command.addAll(
        List.of(
            "--cli",
            url,
            "--transport",
            "http",
            "--header",
            "Authorization: Bearer " + token,
            "--method",
            "tools/call",
            "--tool-name",
            "query",
            "--tool-arg",
            arg));
    return run(command, Map.of());
  }
}
