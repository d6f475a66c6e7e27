package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The MCP Inspector CLI (a client we did not write) lists the tools and calls {@code query} against
 * a running server, through {@code src/test/inspector/run.sh}.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class McpInspectorIT {

  @LocalServerPort int port;

  private String run(ReferencePrincipal principal, String sql) throws Exception {
    Path script = Path.of("src/test/inspector/run.sh");
    assertThat(script).exists();
    Path out = Files.createTempFile("inspector-", ".log");
    Process p =
        new ProcessBuilder(
                "bash",
                script.toString(),
                "http://127.0.0.1:" + port + "/mcp",
                TestIssuer.get().tokenFor(principal),
                sql)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(done).as(output).isTrue();
    assertThat(p.exitValue())
        .as(
            "inspector failed (install it with `npm install -g @modelcontextprotocol/inspector@0.17.2`):\n"
                + output)
        .isZero();
    return output;
  }

  @Test
  void inspectorListsToolsAndRunsAQuery() throws Exception {
    String output =
        run(ReferencePrincipal.ANALYST, "SELECT id, email FROM app.customers ORDER BY id LIMIT 2");
    String list =
        output.substring(output.indexOf("== tools/list"), output.indexOf("== tools/call"));
    assertThat(list)
        .contains("\"name\": \"query\"")
        .contains("\"name\": \"describe\"")
        .contains("\"readOnlyHint\"");
    String call = output.substring(output.indexOf("== tools/call"));
    assertThat(call).contains("\"row_count\": 2").contains("****").contains("\"isError\": false");
  }
}
