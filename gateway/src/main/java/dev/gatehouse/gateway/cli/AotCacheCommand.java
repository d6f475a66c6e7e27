package dev.gatehouse.gateway.cli;

import dev.gatehouse.gateway.Gatehouse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gatehouse aot-cache}: a training run of {@code mcp-stdio} that leaves the JVM's
 * ahead-of-time cache (JDK 25, JEPs 483, 514 and 515) behind. An agent starts {@code mcp-stdio}
 * afresh for every session, so without the cache each session's first thousands of calls run while
 * the JIT is still compiling; with it, the classes come loaded and linked and the methods profiled.
 */
@Command(
    name = "aot-cache",
    mixinStandardHelpOptions = true,
    description = {
      "Write an ahead-of-time cache for mcp-stdio (needs a JDK 25 or newer): mcp-stdio runs once"
          + " with this config and the token in GATEHOUSE_TOKEN, answers --calls training calls"
          + " of describe, query and explain, and the JVM keeps what it loaded, linked and"
          + " profiled. Start mcp-stdio with `java -XX:AOTCache=FILE -jar gatehouse.jar"
          + " mcp-stdio ...` and its first calls run about as fast as a warm process's.",
      "The cache fits this JDK and this gatehouse.jar only: write it again after upgrading"
          + " either. A cache that does not fit is ignored, never an error. The training"
          + " statements run through the policy and the audit trail like any other."
    })
public final class AotCacheCommand implements Callable<Integer> {

  /** Read-only statements any principal that may run `query` at all is likely to be allowed. */
  static final List<String> DEFAULT_SQL =
      List.of(
          "SELECT 1 AS one",
          "SELECT now() AS now, current_user AS who",
          "SELECT $1::int + 1 AS next",
          "SELECT n, n * n AS square FROM generate_series(1, 20) AS n");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Option(names = "--output", required = true, description = "the cache file to write")
  Path output;

  @Option(
      names = "--calls",
      defaultValue = "3000",
      description = "training calls to answer (default: ${DEFAULT-VALUE})")
  int calls;

  @Option(
      names = "--sql",
      description =
          "a statement to train with, repeatable (default: a few statements that read no table);"
              + " statements like your agents' own train best")
  List<String> sql = new ArrayList<>();

  @Option(
      names = "--java-option",
      description =
          "an option for the training JVM, repeatable (use the options mcp-stdio will run with,"
              + " e.g. -Xmx256m)")
  List<String> javaOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    String problem = problem();
    if (problem != null) {
      err.println("gatehouse aot-cache: " + problem);
      err.flush();
      return Gatehouse.CONFIG_ERROR;
    }
    Path jar = runningJar();
    Path target = output.toAbsolutePath();
    Files.createDirectories(target.getParent());
    // Written beside the target and moved over it at the end: an mcp-stdio starting meanwhile
    // reads the old cache or none, never half of the new one.
    Path partial = target.resolveSibling(target.getFileName() + ".training");
    discard(partial);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-XX:AOTCacheOutput=" + partial);
    command.addAll(List.of("-jar", jar.toString(), "mcp-stdio", "--config", config.toString()));
    long started = System.nanoTime();
    Process training =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Tally tally;
    try {
      tally = train(training);
    } catch (IOException | RuntimeException e) {
      training.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      discard(partial);
      err.println("gatehouse aot-cache: the training run of mcp-stdio failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    // mcp-stdio ends when its input ends; the JVM writes the cache as it exits.
    training.getOutputStream().close();
    training.getInputStream().transferTo(OutputStream.nullOutputStream());
    if (!training.waitFor(300, TimeUnit.SECONDS)) {
      training.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      discard(partial);
      err.println("gatehouse aot-cache: mcp-stdio did not exit within 300 s after its input ended");
      err.flush();
      return 1;
    }
    if (training.exitValue() != 0 || !Files.isRegularFile(partial)) {
      err.println(
          "gatehouse aot-cache: mcp-stdio exited with "
              + training.exitValue()
              + " and wrote no cache (its log is above)");
      err.flush();
      discard(partial);
      return 1;
    }
    if (tally.answered == 0) {
      discard(partial);
      err.println(
          "gatehouse aot-cache: every training query was refused, so the cache would not know"
              + " the path a statement takes; give statements this token may run with --sql."
              + " The first refusal: "
              + tally.firstRefusal);
      err.flush();
      return 1;
    }
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    PrintWriter out = spec.commandLine().getOut();
    String options = javaOptions.stream().map(o -> o + " ").collect(Collectors.joining());
    out.printf(
        "gatehouse: wrote %s (%d MB) for %s and %s after %d training calls (%d refused) in %d"
            + " s.%nStart mcp-stdio with it (and the options it was trained with):%n  java"
            + " %s-XX:AOTCache=%s -jar %s mcp-stdio --config %s%n(or"
            + " GATEHOUSE_JAVA_OPTS='%s-XX:AOTCache=%s' with ./gatehouse)%n",
        target,
        Files.size(target) >> 20,
        Runtime.version(),
        jar.getFileName(),
        tally.calls,
        tally.refused,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
        options,
        target,
        jar,
        config,
        options,
        target);
    out.flush();
    return 0;
  }

  /** Removes a partial cache and the JVM's temporary training configuration beside it. */
  private static void discard(Path partial) throws IOException {
    Files.deleteIfExists(partial);
    Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + ".config"));
  }

  /** Why the cache cannot be written, or null. */
  private String problem() {
    if (Runtime.version().feature() < 25) {
      return "the JVM's AOT cache needs a JDK 25 or newer; this is "
          + Runtime.version()
          + " (mcp-stdio runs without a cache as before)";
    }
    if (calls < 1) {
      return "--calls must be at least 1";
    }
    String token = System.getenv("GATEHOUSE_TOKEN");
    if (token == null || token.isBlank()) {
      return "GATEHOUSE_TOKEN is not set: the training run is an mcp-stdio session, with the"
          + " token of a principal that may run `query`";
    }
    if (!Files.isRegularFile(config)) {
      return "config `" + config + "` is not a file";
    }
    return null;
  }

  /** The jar this JVM was started from ({@code java -jar gatehouse.jar}: the class path is it). */
  private static Path runningJar() {
    String classPath = System.getProperty("java.class.path", "");
    Path jar = Path.of(classPath).toAbsolutePath();
    if (classPath.contains(java.io.File.pathSeparator)
        || !classPath.endsWith(".jar")
        || !Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "aot-cache runs from gatehouse.jar (java -jar gatehouse.jar aot-cache ...); the class"
              + " path is `"
              + classPath
              + "`");
    }
    return jar;
  }

  private static final class Tally {
    int calls;
    int answered;
    int refused;
    String firstRefusal;
  }

  /** The training session: initialize, tools/list, then describe, query and explain calls. */
  private Tally train(Process p) throws IOException {
    List<String> statements = sql.isEmpty() ? DEFAULT_SQL : sql;
    Tally tally = new Tally();
    // Left open: the caller ends mcp-stdio's input and reads its output to the end.
    OutputStream in = p.getOutputStream();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    {
      Session s = new Session(in, out);
      s.call(
          "initialize",
          Map.of(
              "protocolVersion",
              "2025-06-18",
              "capabilities",
              Map.of(),
              "clientInfo",
              Map.of("name", "gatehouse-aot-cache", "version", "1")));
      s.notify("notifications/initialized");
      s.call("tools/list", Map.of());
      s.tool("describe", Map.of());
      for (int i = 0; i < calls; i++) {
        String statement = statements.get(i % statements.size());
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("sql", statement);
        if (statement.contains("$1")) {
          args.put("params", List.of(String.valueOf(i)));
        }
        boolean explain = i % 10 == 9;
        JsonNode result = s.tool(explain ? "explain" : "query", args);
        tally.calls++;
        if (result.path("isError").asBoolean(false)) {
          tally.refused++;
          if (tally.firstRefusal == null) {
            tally.firstRefusal =
                statement + ": " + result.path("content").path(0).path("text").asString("");
          }
        } else if (!explain) {
          tally.answered++;
        }
      }
    }
    return tally;
  }

  /** One JSON-RPC line out, the answer with its id back (notifications in between are skipped). */
  private static final class Session {
    private final OutputStream in;
    private final BufferedReader out;
    private int id;

    Session(OutputStream in, BufferedReader out) {
      this.in = in;
      this.out = out;
    }

    JsonNode tool(String name, Map<String, Object> arguments) throws IOException {
      return call("tools/call", Map.of("name", name, "arguments", arguments));
    }

    void notify(String method) throws IOException {
      send(Map.of("jsonrpc", "2.0", "method", method));
    }

    JsonNode call(String method, Map<String, Object> params) throws IOException {
      int mine = ++id;
      send(Map.of("jsonrpc", "2.0", "id", mine, "method", method, "params", params));
      while (true) {
        String line = out.readLine();
        if (line == null) {
          throw new IOException("mcp-stdio ended during `" + method + "` (its log is above)");
        }
        if (!line.startsWith("{")) {
          continue; // not a JSON-RPC message: a JVM notice on stdout, for one
        }
        JsonNode answer = JSON.readTree(line);
        if (answer.path("id").asInt(-1) != mine) {
          continue;
        }
        if (answer.has("error")) {
          throw new IOException("`" + method + "` failed: " + answer.get("error"));
        }
        return answer.path("result");
      }
    }

    private void send(Map<String, Object> message) throws IOException {
      in.write(JSON.writeValueAsBytes(message));
      in.write('\n');
      in.flush();
    }
  }
}
