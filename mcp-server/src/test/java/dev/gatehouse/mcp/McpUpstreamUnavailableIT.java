package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.mcp.tools.CallContext;
import dev.gatehouse.testkit.DisposablePostgres;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * An upstream the pool cannot get a connection from within its timeout is reported to the caller as
 * unavailable (kind {@code unavailable}, nothing ran, try again), naming the upstream: not as a SQL
 * error of the statement, and not as the gateway's internal failure.
 */
class McpUpstreamUnavailableIT {

  private static final Duration POOL_TIMEOUT = Duration.ofSeconds(2);

  @Test
  void aFullUpstreamIsUnavailableWithPostgresOwn53300() throws Exception {
    try (DisposablePostgres pg = DisposablePostgres.create()) {
      List<Connection> fillers = new ArrayList<>();
      String postgresText = null;
      try {
        for (int i = 0; i < 200 && postgresText == null; i++) {
          try {
            fillers.add(pg.connect("postgres"));
          } catch (PSQLException e) {
            assertThat(e.getSQLState()).isEqualTo("53300");
            postgresText = e.getServerErrorMessage().getMessage();
          }
        }
        assertThat(postgresText).as("the server never filled up").isNotNull();
        try (GatehouseMcp mcp = mcp(pg.port())) {
          Map<String, Object> error = error(query(mcp, "SELECT 1"));
          assertThat(error).containsEntry("kind", "unavailable").containsEntry("sqlstate", "53300");
          assertThat((String) error.get("message"))
              .isEqualTo(
                  "no connection to the upstream database `postgres` as role `reader` within 2 s"
                      + " (PostgreSQL said: "
                      + postgresText
                      + "); nothing ran, try again later");
          // A slot frees up: the next call runs, the pool needed no reset.
          fillers.removeLast().close();
          McpSchema.CallToolResult ran = query(mcp, "SELECT 1");
          assertThat(ran.isError()).as(McpClients.text(ran)).isFalse();
        }
      } finally {
        for (Connection c : fillers) {
          c.close();
        }
      }
    }
  }

  @Test
  void aHungUpstreamIsUnavailableNamingIt() throws Exception {
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        GatehouseMcp mcp = mcp(hung.getLocalPort())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!hung.isClosed()) {
                      try {
                        accepted.add(hung.accept());
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
      try {
        long started = System.nanoTime();
        Map<String, Object> error = error(query(mcp, "SELECT 1"));
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(error).containsEntry("kind", "unavailable").containsEntry("sqlstate", "08001");
        assertThat((String) error.get("message"))
            .isEqualTo(
                "no connection to the upstream database `postgres` as role `reader` within 2 s"
                    + " (the upstream database at 127.0.0.1:"
                    + hung.getLocalPort()
                    + " could not be reached or did not answer); nothing ran, try again later");
        assertThat(accepted).as("the pool did try the hung host").isNotEmpty();
        // The pool's timeout bounds the call, not the driver's or the client's.
        assertThat(millis).isBetween(POOL_TIMEOUT.toMillis(), 15_000L);
      } finally {
        for (Socket s : accepted) {
          s.close();
        }
        acceptor.interrupt();
      }
    }
  }

  private static GatehouseMcp mcp(int upstreamPort) {
    TestIssuer issuer = TestIssuer.get();
    TestPostgres.UpstreamRole superuser = new TestPostgres.UpstreamRole("postgres", "");
    TestGates.Fixture fixture =
        TestGates.create(
            issuer.issuerUrl(),
            issuer.jwksUrl(),
            "127.0.0.1",
            upstreamPort,
            Map.of("reader", superuser, "writer", superuser));
    McpServerConfig config =
        McpServerConfig.builder("postgres", List.of(URI.create(issuer.issuerUrl())))
            .poolConnectionTimeout(POOL_TIMEOUT)
            .build();
    return new GatehouseMcp(fixture.gate(), config);
  }

  private static McpSchema.CallToolResult query(GatehouseMcp mcp, String sql) throws Exception {
    RequestContext request =
        new RequestContext(Channel.MCP, "postgres", "mcp-tests", "127.0.0.1", Instant.now());
    Principal analyst =
        mcp.gate().authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST), request);
    CallContext caller =
        new CallContext(analyst, request, "session-1", CallContext.ProgressSink.NONE);
    return mcp.protocol()
        .callTool(caller, new McpSchema.CallToolRequest("query", Map.of("sql", sql)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult result) {
    assertThat(result.isError()).as(McpClients.text(result)).isTrue();
    return (Map<String, Object>) McpClients.structured(result).get("error");
  }
}
