package dev.gatehouse.mcp;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Latency of {@code query} for a one-row SELECT over streamable HTTP with the SDK client, on the
 * real engine (reference policy, catalog mask planner, JDBC audit trail with group commit), against
 * plain JDBC for the same statement as a baseline. Usage: {@code mcp-server/src/test/bench/run.sh
 * [calls]}.
 */
public final class QueryLatencyBench {

  private static final String SQL = "SELECT id, full_name FROM app.customers WHERE id = 1";

  private QueryLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmup = Math.max(200, calls / 5);
    SpringApplication app = new SpringApplication(HttpTestApp.class);
    app.setDefaultProperties(
        Map.of("server.port", "0", "logging.level.root", "WARN", "test.mcp.gate", "engine"));
    try (ConfigurableApplicationContext ctx = app.run()) {
      int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
      try (McpSyncClient client =
          McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST))) {
        McpSchema.CallToolRequest request =
            new McpSchema.CallToolRequest("query", Map.of("sql", SQL));
        long[] mcp =
            measure(
                warmup,
                calls,
                () -> {
                  McpSchema.CallToolResult r = client.callTool(request);
                  if (Boolean.TRUE.equals(r.isError())) {
                    throw new IllegalStateException(r.content().toString());
                  }
                });
        report("mcp query (streamable HTTP, SDK client)", mcp);
      }
    }
    TestPostgres pg = TestPostgres.get();
    try (Connection c = pg.connect(TestPostgres.SHOP, pg.reader());
        PreparedStatement ps = c.prepareStatement(SQL)) {
      long[] jdbc =
          measure(
              warmup,
              calls,
              () -> {
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                }
              });
      report("baseline: pgjdbc prepared statement, same SELECT", jdbc);
    }
    // The embedded PostgreSQL and the issuer keep non-daemon threads: end the run explicitly.
    System.exit(0);
  }

  interface Call {
    void run() throws Exception;
  }

  private static long[] measure(int warmup, int calls, Call call) throws Exception {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static void report(String what, long[] sorted) {
    System.out.printf(
        "%s: %d calls, median %.2f ms, p99 %.2f ms, max %.2f ms%n",
        what,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
