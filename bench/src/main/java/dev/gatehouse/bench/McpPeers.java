package dev.gatehouse.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpSyncClient;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts and connects the servers of the MCP part: Gatehouse over streamable HTTP and over stdio,
 * the reference server {@code @modelcontextprotocol/server-postgres} (stdio) and DBHub (stdio and
 * HTTP), the peers installed from {@code bench/mcp/package-lock.json}. Everything started is
 * registered with the part's {@link Closer}.
 */
final class McpPeers {

  static final Path NODE_MODULES = Path.of("bench", "mcp", "node_modules");
  static final Path REFERENCE =
      NODE_MODULES.resolve("@modelcontextprotocol/server-postgres/dist/index.js");
  static final Path DBHUB = NODE_MODULES.resolve("@bytebase/dbhub/dist/index.js");

  private final BenchStack stack;
  private final Closer closer;
  private final Path dir;
  private final List<String> jvmArgs;
  private final Map<String, McpConnections.StderrTail> stderr = new LinkedHashMap<>();

  McpPeers(BenchStack stack, Closer closer, Path dir, List<String> jvmArgs) {
    this.stack = stack;
    this.closer = closer;
    this.dir = dir;
    this.jvmArgs = jvmArgs;
  }

  /** Gatehouse {@code serve}, MCP at {@code /mcp} with the analyst's bearer token on each call. */
  McpSyncClient gatehouseHttp(Gateway gateway) {
    return closer.add(
        McpConnections.http(gateway.httpPort(), "/mcp", stack.token(ReferencePrincipal.ANALYST)));
  }

  /**
   * Gatehouse {@code mcp-stdio}, a child process of the client with the analyst's token in {@code
   * GATEHOUSE_TOKEN}, with its own audit chain ({@code instanceId}) in the same control database;
   * with {@code aotCache}, started on that JVM ahead-of-time cache.
   */
  McpSyncClient gatehouseStdio(String instanceId, Path aotCache) throws Exception {
    List<String> args = new ArrayList<>(jvmArgs);
    if (aotCache != null) {
      args.add("-XX:AOTCache=" + aotCache);
    }
    args.addAll(
        List.of(
            "-jar",
            Gateway.jar().toString(),
            "mcp-stdio",
            "--config",
            config(instanceId).toString()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return stdio(
        aotCache == null ? "gatehouse mcp-stdio" : "gatehouse mcp-stdio (AOT cache)",
        java,
        args,
        analystEnv());
  }

  /** Statements the AOT cache is trained with: an agent's kind of reads, not the measured one. */
  static final List<String> TRAINING_SQL =
      List.of(
          "SELECT id, email FROM app.customers WHERE id <= $1 ORDER BY id LIMIT 5",
          "SELECT count(*) AS orders FROM app.orders",
          "SELECT 1 AS one",
          "SELECT n, n * n AS square FROM generate_series(1, 20) AS n");

  /**
   * Writes a JVM ahead-of-time cache for mcp-stdio with {@code gatehouse aot-cache}, as an operator
   * would (its training run's records go to the chain {@code instanceId}); its summary line.
   */
  String trainAotCache(String instanceId, Path output, int calls) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Gateway.jar().toString(),
                "aot-cache",
                "--config",
                config(instanceId).toString(),
                "--output",
                output.toString(),
                "--calls",
                String.valueOf(calls)));
    for (String option : jvmArgs) {
      command.add("--java-option=" + option);
    }
    for (String sql : TRAINING_SQL) {
      command.addAll(List.of("--sql", sql));
    }
    Path log = dir.resolve(instanceId + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(analystEnv());
    Process p = pb.start();
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("gatehouse aot-cache failed:\n" + Files.readString(log));
    }
    return Files.readAllLines(log).stream()
        .filter(l -> l.startsWith("gatehouse: wrote "))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("aot-cache said nothing: " + log));
  }

  private Path config(String instanceId) throws Exception {
    Path home = Files.createDirectories(dir.resolve(instanceId));
    Files.writeString(home.resolve("reference-policy.yaml"), stack.policy());
    return Files.writeString(home.resolve("gatehouse.yaml"), stack.config(instanceId));
  }

  private Map<String, String> analystEnv() {
    Map<String, String> env = new HashMap<>(stack.env());
    env.put("GATEHOUSE_TOKEN", stack.token(ReferencePrincipal.ANALYST));
    return env;
  }

  /** The reference server, connected as the read-only upstream role Gatehouse uses for analysts. */
  McpSyncClient reference() {
    requireInstalled(REFERENCE);
    return stdio(
        "server-postgres",
        "node",
        List.of(REFERENCE.toAbsolutePath().toString(), postgresUrl()),
        Map.of());
  }

  /** DBHub over stdio, its {@code execute_sql} tool read-only, as the same upstream role. */
  McpSyncClient dbhubStdio() throws Exception {
    requireInstalled(DBHUB);
    return stdio("dbhub", "node", dbhubArgs("stdio"), Map.of());
  }

  /** DBHub over streamable HTTP (stateless, JSON responses; it has no authentication). */
  McpSyncClient dbhubHttp() throws Exception {
    requireInstalled(DBHUB);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(dbhubArgs("http"));
    command.add("--port=" + port);
    Path log = dir.resolve("dbhub-http.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    closer.add(() -> stop(p));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains("MCP server endpoint at")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("dbhub over HTTP did not start:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return closer.add(McpConnections.http(port, "/mcp", null));
  }

  private List<String> dbhubArgs(String transport) throws Exception {
    Path config = dir.resolve("dbhub.toml");
    if (!Files.exists(config)) {
      Files.writeString(
          config,
          """
          [[sources]]
          id = "shop"
          dsn = "%s?sslmode=disable"

          [[tools]]
          name = "execute_sql"
          source = "shop"
          readonly = true
          """
              .formatted(postgresUrl()));
    }
    return List.of(
        DBHUB.toAbsolutePath().toString(), "--transport=" + transport, "--config=" + config);
  }

  private McpSyncClient stdio(
      String name, String command, List<String> args, Map<String, String> env) {
    McpConnections.StderrTail tail = new McpConnections.StderrTail();
    stderr.put(name, tail);
    try {
      return closer.add(McpConnections.stdio(command, args, env, tail));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "`" + name + "` over stdio did not start: " + e.getMessage() + "\n" + tail, e);
    }
  }

  /** The last stderr lines of every stdio server, for a failure report. */
  String stderrTails() {
    StringBuilder sb = new StringBuilder();
    stderr.forEach(
        (name, tail) ->
            sb.append("--- stderr of ").append(name).append(":\n").append(tail).append('\n'));
    return sb.toString();
  }

  private String postgresUrl() {
    TestPostgres pg = stack.pg();
    return "postgresql://"
        + pg.reader().name()
        + ":"
        + URLEncoder.encode(pg.reader().password(), StandardCharsets.UTF_8).replace("+", "%20")
        + "@"
        + pg.host()
        + ":"
        + pg.port()
        + "/"
        + stack.database();
  }

  private static void requireInstalled(Path script) {
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException(
          "`" + script + "` is missing: run `npm ci --prefix bench/mcp` (bench/parts/mcp.sh does)");
    }
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
