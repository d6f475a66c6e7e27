package dev.gatehouse.gateway.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.launcher.OldJavaShell;
import dev.gatehouse.testkit.Eventually;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer, in a shell whose default java is 17: the README's try-it command exactly as written
 * ({@code ./gatehouse quickstart}), then in a second shell {@code source gatehouse.env} and every
 * command of the README's tour, in order, then Ctrl-C.
 */
class ReadmeTourIT {

  private static final Pattern SOURCE = Pattern.compile("source (\\S+gatehouse\\.env)");

  @TempDir Path dir;

  @Test
  void theTryItCommandThenEveryTourCommandThenCtrlC() throws Exception {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    long start = System.nanoTime();
    Process qs =
        OldJavaShell.builder("./gatehouse quickstart")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    Path env = null;
    try {
      // The instructions are one print that ends with the health URL; or the quickstart died.
      Eventually.holdsWithin(
          Duration.ofSeconds(180),
          () -> Files.readString(out).contains("/actuator/health") || !qs.isAlive());
      assertThat(Files.readString(out))
          .as("quickstart ready in time: " + Files.readString(err))
          .contains("/actuator/health");
      Matcher m = SOURCE.matcher(Files.readString(out));
      assertThat(m.find()).as("a `source` line").isTrue();
      env = Path.of(m.group(1));
      System.out.printf("quickstart ready after %.1f s%n", (System.nanoTime() - start) / 1e9);
      String printed = Files.readString(out);
      System.out.println(printed);
      assertThat(printed.length()).as("short instructions").isLessThan(2500);
      assertThat(printed.lines()).allSatisfy(l -> assertThat(l.length()).isLessThan(160));
      assertThat(printed).doesNotContain("eyJ");
      assertThat(env.resolveSibling(Instructions.MCP_FILE)).content().contains("Bearer eyJ");

      Map<String, Step> steps = runTour(env);
      assertThat(steps.get("psql \"$ETL_URL\" -c \"SELECT count(*) FROM app.orders\""))
          .satisfies(s -> s.succeeded("count"));
      String select = " -c \"SELECT email, ssn FROM app.customers LIMIT 3\"";
      assertThat(steps.get("psql \"$ANALYST_URL\"" + select).output())
          .containsPattern("[a-z]\\*+@[a-z.]+ \\| \\*+");
      assertThat(steps.get("psql \"$SUPPORT_LEAD_URL\"" + select))
          .satisfies(s -> s.succeeded("@"))
          .satisfies(s -> assertThat(s.output()).doesNotContain("****"));
      assertThat(steps.get(find(steps, "policy check"))).satisfies(s -> s.succeeded("allow"));
      assertThat(steps.get(find(steps, "$CONTRACTOR_URL")))
          .satisfies(s -> s.failed("default-deny"));
      assertThat(steps.get(find(steps, "pg_authid"))).satisfies(s -> s.failed("ERROR"));
      assertThat(steps.get(find(steps, "approvals approve"))).satisfies(s -> s.succeeded(""));
      assertThat(steps.get(find(steps, "approvals deny"))).satisfies(s -> s.succeeded(""));
      String all = String.join("\n", steps.values().stream().map(Step::output).toList());
      assertThat(all).contains("CREATE TABLE").contains("not during business hours");
      assertThat(steps.get(find(steps, "audit search"))).satisfies(s -> s.succeeded("deny"));
      assertThat(steps.get(find(steps, "audit verify"))).satisfies(s -> s.succeeded(""));
      assertThat(steps.get(find(steps, "review report")))
          .satisfies(s -> s.succeeded("Access review"));

      mcpStdioBesideTheQuickstart(env);
    } finally {
      // Ctrl-C: the launcher exec'd java, so the process is the JVM itself
      new ProcessBuilder("kill", "-INT", String.valueOf(qs.pid())).start().waitFor();
      assertThat(qs.waitFor(60, TimeUnit.SECONDS)).as("quickstart stops on Ctrl-C").isTrue();
    }
    String log = Files.readString(err);
    assertThat(log).as("an orderly stop logs no warning or error").doesNotContain(" WARN ");
    assertThat(log).doesNotContain(" ERROR ");
    assertThat(env.getParent())
        .as(
            "the temporary directory is removed; left: %s; the quickstart's log: %s",
            left(env), log)
        .doesNotExist();
  }

  /** One tour command: what it printed (stdout and stderr) and its exit code. */
  record Step(String output, int exit) {
    void succeeded(String expected) {
      assertThat(exit).as(output).isZero();
      assertThat(output).contains(expected);
    }

    void failed(String expected) {
      assertThat(exit).as(output).isNotZero();
      assertThat(output).contains(expected);
    }
  }

  private static String find(Map<String, Step> steps, String part) {
    return steps.keySet().stream()
        .filter(k -> k.contains(part))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no tour command with `" + part + "`"));
  }

  /** Runs the tour in one bash after {@code source gatehouse.env}, marking each command. */
  private static Map<String, Step> runTour(Path env) throws Exception {
    List<String> commands = ReadmeTour.commands(OldJavaShell.ROOT.resolve("README.md"));
    assertThat(commands).hasSizeGreaterThan(10);
    StringBuilder script = new StringBuilder("source '" + env + "'\n");
    for (int i = 0; i < commands.size(); i++) {
      String c = commands.get(i);
      script.append("echo '@@step ").append(i).append("'\n");
      // a background command's exit is the next `wait`'s; the rest report their own
      script.append(c.endsWith("&") ? c + "\n" : c + "\necho \"@@exit $?\"\n");
    }
    OldJavaShell.Result r = OldJavaShell.run(script.toString(), 300);
    System.out.println(r.output());
    Map<String, Step> steps = new LinkedHashMap<>();
    String[] parts = r.output().split("@@step ");
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      int index = Integer.parseInt(part.substring(0, part.indexOf('\n')).strip());
      Matcher exit = Pattern.compile("@@exit (\\d+)").matcher(part);
      int code = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
      String command = commands.get(index);
      // a command the tour repeats (`wait`, the id lookup) is kept under its position too
      steps.put(
          steps.containsKey(command) ? command + " [" + index + "]" : command,
          new Step(part, code));
    }
    assertThat(steps).hasSize(commands.size());
    return steps;
  }

  /** The README's mcp-stdio line, with JSON-RPC on its stdin, while the quickstart runs. */
  private static void mcpStdioBesideTheQuickstart(Path env) throws Exception {
    String line =
        Files.readAllLines(OldJavaShell.ROOT.resolve("README.md")).stream()
            .filter(l -> l.contains("./gatehouse mcp-stdio --config"))
            .findFirst()
            .orElseThrow();
    Process stdio =
        OldJavaShell.builder("source '" + env + "'; " + line)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (OutputStream in = stdio.getOutputStream();
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(stdio.getInputStream(), StandardCharsets.UTF_8))) {
      in.write(
          ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                  + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"tour\","
                  + "\"version\":\"1\"}}}\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                  + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                  + "\"query\",\"arguments\":{\"sql\":\"SELECT email FROM app.customers LIMIT 2\"}}}\n")
              .getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(reader.readLine()).contains("\"id\":1").contains("serverInfo");
      assertThat(reader.readLine()).contains("\"id\":2").contains("****");
    }
    assertThat(stdio.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(stdio.exitValue()).isZero();
  }

  /** What is left under the quickstart's directory, for a failure message. */
  private static String left(Path env) throws IOException {
    if (!Files.exists(env.getParent())) {
      return "nothing";
    }
    try (var walk = Files.walk(env.getParent())) {
      return walk.map(Path::toString).toList().toString();
    }
  }
}
