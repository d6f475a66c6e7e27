package dev.gatehouse.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Part 4: latency of the MCP {@code query} tool for a one-row SELECT, one client calling in a loop,
 * against Gatehouse (streamable HTTP and stdio, all governance on), the reference Postgres MCP
 * server and DBHub. Usage: {@code bench/parts/mcp.sh [calls] [warm-up calls]}.
 */
public final class McpBench {

  static final String SQL = "SELECT id, full_name FROM app.customers WHERE id = 1";
  static final String MASK_PROBE = "SELECT email FROM app.customers WHERE id = 1";
  static final String EMAIL = "alice@example.com";
  static final List<String> JVM_ARGS = List.of("-Xmx256m");

  private McpBench() {}

  public static void main(String[] args) {
    int status = 0;
    try {
      run(args);
    } catch (Exception e) {
      System.err.println("bench mcp: FAILED: " + e.getMessage());
      e.printStackTrace();
      status = 1;
    }
    // The embedded PostgreSQL and the issuer keep non-daemon threads: end the run explicitly.
    System.exit(status);
  }

  static void run(String[] args) throws Exception {
    QuietLogs.apply();
    int calls = Settings.positive(args, 0, "GATEHOUSE_BENCH_MCP_CALLS", 1000);
    int warmup = Settings.positive(args, 1, "GATEHOUSE_BENCH_MCP_WARMUP", 300);
    int blocks = Math.min(calls, Settings.positive(args, 2, "GATEHOUSE_BENCH_MCP_BLOCKS", 5));
    PartResult part = new PartResult("mcp");
    McpRun run = new McpRun(calls, warmup, blocks);
    try (BenchStack stack = BenchStack.start();
        Closer closer = new Closer()) {
      String fullName = fullNameOfCustomerOne(stack);
      Path dir = TempDirs.create(closer, "gatehouse-bench-mcp-");
      McpPeers peers = new McpPeers(stack, closer, dir, JVM_ARGS);
      progress("starting Gatehouse (serve) and its MCP client");
      Gateway gateway = stack.gateway("bench-mcp-http", JVM_ARGS);
      List<McpTarget> targets = new ArrayList<>();
      List<String> row = List.of("1", fullName);
      Map<String, String> jsonRow = Map.of("id", "1", "full_name", fullName);
      targets.add(
          new McpTarget(
              "Gatehouse",
              "streamable HTTP",
              true,
              peers.gatehouseHttp(gateway),
              "query",
              "sql",
              r -> McpRowCheck.gatehouse(r, row)));
      progress("starting Gatehouse (mcp-stdio)");
      targets.add(
          new McpTarget(
              "Gatehouse",
              "stdio",
              true,
              peers.gatehouseStdio("bench-mcp-stdio", null),
              "query",
              "sql",
              r -> McpRowCheck.gatehouse(r, row)));
      List<String> instances = new ArrayList<>(List.of("bench-mcp-http", "bench-mcp-stdio"));
      if (Runtime.version().feature() >= 25) {
        progress("writing a JVM AOT cache for mcp-stdio (gatehouse aot-cache)");
        long started = System.nanoTime();
        String wrote = peers.trainAotCache("bench-mcp-aot-training", dir.resolve("mcp.aot"), 3000);
        run.note(
            "*Gatehouse, stdio, AOT cache*: the same `mcp-stdio`, started with"
                + " `-XX:AOTCache` on a cache `gatehouse aot-cache` wrote in this run ("
                + (System.nanoTime() - started) / 1_000_000_000
                + " s, 3000 training calls of `describe`, `query` and `explain` with other"
                + " statements than the measured one: "
                + String.join("; ", McpPeers.TRAINING_SQL.stream().map(q -> "`" + q + "`").toList())
                + "; as chain `bench-mcp-aot-training`). It said: "
                + wrote.replace("gatehouse: ", "").strip());
        progress("starting Gatehouse (mcp-stdio on the AOT cache)");
        targets.add(
            new McpTarget(
                "Gatehouse",
                McpSection.STDIO_AOT,
                true,
                peers.gatehouseStdio("bench-mcp-stdio-aot", dir.resolve("mcp.aot")),
                "query",
                "sql",
                r -> McpRowCheck.gatehouse(r, row)));
        instances.add("bench-mcp-stdio-aot");
      } else {
        run.note("No AOT cache row: this JDK (" + Runtime.version() + ") has none (JDK 25+).");
      }
      progress("starting @modelcontextprotocol/server-postgres");
      targets.add(
          new McpTarget(
              "reference server-postgres",
              "stdio",
              false,
              peers.reference(),
              "query",
              "sql",
              r -> McpRowCheck.jsonRows(r, jsonRow)));
      progress("starting DBHub (stdio and HTTP)");
      try {
        targets.add(
            new McpTarget(
                "DBHub",
                "stdio",
                false,
                peers.dbhubStdio(),
                "execute_sql",
                "sql",
                r -> McpRowCheck.jsonRows(r, jsonRow)));
        targets.add(
            new McpTarget(
                "DBHub",
                "streamable HTTP",
                false,
                peers.dbhubHttp(),
                "execute_sql",
                "sql",
                r -> McpRowCheck.jsonRows(r, jsonRow)));
      } catch (RuntimeException e) {
        run.note("DBHub was not measured: " + e.getMessage().lines().findFirst().orElse(""));
      }
      try {
        run.measure(targets);
      } catch (RuntimeException e) {
        System.err.println(peers.stderrTails());
        throw e;
      }
      for (McpTarget t : targets) {
        run.probeMasking(t);
      }
      Map<String, Map<String, Long>> audit = auditCounts(stack, instances);
      run.checkAudit(audit);
      run.inside(insideGatehouse(gateway));
      Latencies commit = durableCommit(stack, 200);
      run.floor(commit);
      run.durability(Durability.describe(stack));
      Map<String, Object> figures = run.figures();
      figures.put("audit", audit);
      figures.put("gatewayRssKb", gateway.rssKb());
      part.write(figures, McpSection.render(run, audit));
    }
  }

  private static String fullNameOfCustomerOne(BenchStack stack) throws Exception {
    try (Connection c = stack.pg().connectAsAdmin(stack.database());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT full_name FROM app.customers WHERE id = 1")) {
      if (!rs.next()) {
        throw new IllegalStateException("the shop copy has no customer 1");
      }
      return rs.getString(1);
    }
  }

  /** Per Gatehouse instance: statement records of the measured SELECT, outcomes, token checks. */
  static Map<String, Map<String, Long>> auditCounts(BenchStack stack, List<String> instances)
      throws Exception {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    String sql =
        """
        SELECT count(*) FILTER (WHERE kind = 'STATEMENT' AND doc ->> 'sql' = '%s'
                                  AND doc ->> 'effect' = 'ALLOW'
                                  AND doc -> 'principal' ->> 'subject' = 'analyst'),
               count(*) FILTER (WHERE kind = 'OUTCOME'),
               count(*) FILTER (WHERE kind = 'AUTHENTICATION')
          FROM gatehouse_audit.audit_record WHERE instance_id = '%s'
        """;
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        Statement s = c.createStatement()) {
      for (String instance : instances) {
        try (ResultSet rs = s.executeQuery(sql.formatted(SQL, instance))) {
          rs.next();
          Map<String, Long> m = new LinkedHashMap<>();
          m.put("statementsAllowed", rs.getLong(1));
          m.put("outcomes", rs.getLong(2));
          m.put("authentications", rs.getLong(3));
          counts.put(instance, m);
        }
      }
    }
    return counts;
  }

  /** Means from the HTTP gateway's own timers, or an empty map (noted) when unavailable. */
  static Map<String, Map<String, Object>> insideGatehouse(Gateway gateway) {
    Map<String, Map<String, Object>> m = new LinkedHashMap<>();
    try {
      String metrics = Prometheus.scrape(gateway.httpPort());
      m.put("decision", Prometheus.timer(metrics, "gatehouse_decision"));
      m.put("upstreamStatement", Prometheus.timer(metrics, "gatehouse_statement"));
      m.put(
          "postMcp",
          Prometheus.timer(
              metrics,
              "http_server_requests",
              "uri=\"/mcp\"",
              "method=\"POST\"",
              "status=\"200\""));
    } catch (Exception e) {
      progress("the gateway's metrics could not be read: " + e.getMessage());
    }
    return m;
  }

  /**
   * What one durable commit costs on this server: a 900-byte row inserted and committed in the
   * control database, the floor under "the audit record is committed before the result".
   */
  static Latencies durableCommit(BenchStack stack, int commits) throws Exception {
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_commit_probe (id bigserial PRIMARY KEY, body text)");
      try (var insert = c.prepareStatement("INSERT INTO bench_commit_probe (body) VALUES (?)")) {
        String body = "x".repeat(900);
        long[] nanos = new long[commits];
        for (int i = 0; i < commits; i++) {
          long start = System.nanoTime();
          insert.setString(1, body);
          insert.executeUpdate();
          nanos[i] = System.nanoTime() - start;
        }
        return Latencies.of(nanos);
      } finally {
        s.execute("DROP TABLE bench_commit_probe");
      }
    }
  }

  private static final long STARTED = System.nanoTime();

  static void progress(String message) {
    long s = (System.nanoTime() - STARTED) / 1_000_000_000L;
    System.err.println("bench mcp (" + s + " s): " + message);
  }
}
