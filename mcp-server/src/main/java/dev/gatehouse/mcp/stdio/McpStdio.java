package dev.gatehouse.mcp.stdio;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.GatehouseMcp;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.transport.SessionHandlers;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The MCP server over stdio, for an agent that starts Gatehouse as a child process. The caller's
 * token comes from the environment ({@value #TOKEN_ENV}) and is verified once, at start; the policy
 * still refuses statements once it expires.
 */
public final class McpStdio {

  /** The environment variable that holds the caller's bearer token. */
  public static final String TOKEN_ENV = "GATEHOUSE_TOKEN";

  private McpStdio() {}

  /**
   * Verifies the token of {@value #TOKEN_ENV} and serves MCP on this process's stdin and stdout
   * until stdin closes. Stray writes to {@code System.out} are sent to stderr so they cannot
   * corrupt the protocol stream.
   *
   * @return the process exit code: 0 after a clean end, 2 when the token is missing or refused
   */
  public static int run(Gate gate, McpServerConfig config) {
    PrintStream protocolOut = System.out;
    System.setOut(System.err);
    String token = System.getenv(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      System.err.println("gatehouse mcp-stdio: set " + TOKEN_ENV + " to your bearer token");
      return 2;
    }
    Principal principal;
    try {
      principal = gate.authenticate(token.trim(), context(config, Clock.systemUTC()));
    } catch (AuthenticationException e) {
      System.err.println(
          "gatehouse mcp-stdio: the token in " + TOKEN_ENV + " was refused: " + e.getMessage());
      return 2;
    }
    try (GatehouseMcp mcp = new GatehouseMcp(gate, config)) {
      serve(mcp, principal, System.in, protocolOut, Clock.systemUTC());
    }
    return 0;
  }

  /** Serves one stdio session for {@code principal} until {@code in} closes. */
  public static void serve(
      GatehouseMcp mcp, Principal principal, InputStream in, OutputStream out, Clock clock) {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    CountDownLatch closed = new CountDownLatch(1);
    // Calls may wait for approvals: they run off the reader thread so pings and other calls flow.
    SessionHandlers handlers =
        new SessionHandlers(
            mcp.protocol(), json, exchange -> principal, Schedulers.boundedElastic(), clock);
    List<String> versions =
        List.of(
            ProtocolVersions.MCP_2024_11_05,
            ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18,
            ProtocolVersions.MCP_2025_11_25);
    StdioServerTransportProvider transport = new StdioServerTransportProvider(json, in, out);
    McpServerSession.Factory factory =
        t ->
            new McpServerSession(
                UUID.randomUUID().toString(),
                Duration.ofSeconds(30),
                new SerializedTransport(t),
                init -> Mono.fromCallable(() -> mcp.protocol().initialize(init, versions)),
                handlers.requestHandlers(),
                handlers.notificationHandlers(),
                () -> Mono.fromRunnable(closed::countDown));
    transport.setSessionFactory(factory);
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static RequestContext context(McpServerConfig config, Clock clock) {
    return new RequestContext(Channel.MCP, config.database(), "stdio", null, clock.instant());
  }
}
