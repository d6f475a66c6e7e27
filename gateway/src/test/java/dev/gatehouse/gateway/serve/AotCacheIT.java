package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse aot-cache} with the packaged jar: its training run of mcp-stdio leaves a cache
 * that an mcp-stdio started with {@code -XX:AOTMode=on} (which refuses to start with a cache it
 * cannot use) loads and answers with; bad input writes nothing and says why.
 */
class AotCacheIT {

  @TempDir static Path dir;
  private static Path config;
  private static Map<String, String> env;

  @BeforeAll
  static void writeConfig() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String control = pg.createEmptyDatabase("aot_control");
    config =
        ExampleConfig.write(
            dir,
            ExampleConfig.adapted(pg, control, "5s")
                .replace("apiUrl: https://slack.com/api/", "apiUrl: http://127.0.0.1:9/api/"));
    env = ExampleConfig.env(pg, "xoxb-1-2-aotit", "0123456789abcdef0123");
  }

  private static ProcessBuilder gatehouse(List<String> jvm, String token, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(List.of("-jar", Path.of("target", "gatehouse.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    if (token != null) {
      pb.environment().put("GATEHOUSE_TOKEN", token);
    }
    return pb;
  }

  private static String analyst() {
    return TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST);
  }

  /** Runs {@code pb} to its end: exit code, stdout, stderr. */
  private static String[] run(ProcessBuilder pb) throws Exception {
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process p = pb.redirectError(err.toFile()).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out, Files.readString(err)};
  }

  @Test
  void theCacheATrainingRunWritesIsLoadedByMcpStdio() throws Exception {
    Path cache = dir.resolve("cache").resolve("gatehouse.aot");
    String[] trained =
        run(
            gatehouse(
                List.of(),
                analyst(),
                "aot-cache",
                "--config",
                config.toString(),
                "--output",
                cache.toString(),
                "--calls",
                "200",
                "--java-option=-Xmx256m",
                "--sql",
                "SELECT id, email FROM app.customers WHERE id <= $1",
                "--sql",
                "SELECT count(*) FROM app.orders"));
    assertThat(trained[0]).as(trained[2]).isEqualTo("0");
    assertThat(trained[1])
        .contains("wrote " + cache.toAbsolutePath())
        .contains("after 200 training calls (0 refused)")
        .contains("java -Xmx256m -XX:AOTCache=" + cache.toAbsolutePath());
    assertThat(Files.size(cache)).isGreaterThan(1 << 20);
    assertThat(cache.resolveSibling("gatehouse.aot.training")).doesNotExist();

    // AOTMode=on: the JVM exits at start if it cannot map the cache, so an answer proves it did.
    ProcessBuilder pb =
        gatehouse(
            List.of("-Xmx256m", "-XX:AOTMode=on", "-XX:AOTCache=" + cache),
            analyst(),
            "mcp-stdio",
            "--config",
            config.toString());
    Path err = dir.resolve("stdio-stderr.txt");
    Process stdio = pb.redirectError(err.toFile()).start();
    try (OutputStream in = stdio.getOutputStream();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(stdio.getInputStream(), StandardCharsets.UTF_8))) {
      in.write(
          ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                  + "\"capabilities\":{},\"clientInfo\":{\"name\":\"aot-it\",\"version\":\"1\"}}}\n"
                  + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                  + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"query\","
                  + "\"arguments\":{\"sql\":\"SELECT email FROM app.customers ORDER BY id LIMIT 2\"}}}\n")
              .getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(out.readLine()).as(Files.readString(err)).startsWith("{").contains("\"id\":1");
      assertThat(out.readLine())
          .startsWith("{")
          .contains("\"id\":2")
          .contains("****") // masked as without a cache
          .doesNotContain("\"isError\":true");
    }
    assertThat(stdio.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(stdio.exitValue()).as(Files.readString(err)).isZero();
  }

  @Test
  void withoutATokenOrWithOnlyRefusedStatementsNothingIsWritten() throws Exception {
    Path cache = dir.resolve("refused.aot");
    String[] noToken =
        run(
            gatehouse(
                List.of(),
                null,
                "aot-cache",
                "--config",
                config.toString(),
                "--output",
                cache.toString()));
    assertThat(noToken[0]).isEqualTo("2");
    assertThat(noToken[2]).contains("GATEHOUSE_TOKEN is not set");

    // The analyst may not write: every training query is refused, so there is nothing to learn.
    String[] refused =
        run(
            gatehouse(
                List.of(),
                analyst(),
                "aot-cache",
                "--config",
                config.toString(),
                "--output",
                cache.toString(),
                "--calls",
                "20",
                "--sql",
                "DELETE FROM app.orders"));
    assertThat(refused[0]).as(refused[2]).isEqualTo("1");
    assertThat(refused[2])
        .contains("every training query was refused")
        .contains("DELETE FROM app.orders: ");
    assertThat(cache).doesNotExist();
    assertThat(dir.resolve("refused.aot.training")).doesNotExist();
    assertThat(dir.resolve("refused.aot.training.config")).doesNotExist();
  }
}
