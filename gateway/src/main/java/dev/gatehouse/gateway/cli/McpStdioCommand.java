package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.serve.GatewayServer;
import dev.gatehouse.mcp.stdio.McpStdio;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse mcp-stdio}: the MCP server on stdin/stdout for one agent. */
@Command(
    name = "mcp-stdio",
    mixinStandardHelpOptions = true,
    description =
        "Serve MCP over stdio for an agent that starts gatehouse as a child process. The caller's"
            + " token comes from the environment variable GATEHOUSE_TOKEN; logs go to stderr.")
public final class McpStdioCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Override
  public Integer call() {
    GatewayConfig cfg = new GatewayConfigReader().read(config);
    Engine started;
    try {
      started = GatewayServer.startEngine(cfg, System::getenv, List.of());
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("in use by another gateway instance")) {
        // A spool and its hash chain belong to one process: a running serve or quickstart has it.
        throw cfg.error(
            "audit.spoolDirectory",
            "audit spool directory `"
                + cfg.audit().spoolDirectory()
                + "` is in use by a running gateway; give mcp-stdio a config of its own with"
                + " another `audit.instanceId` and `audit.spoolDirectory` (beside a quickstart:"
                + " `--config \"$STDIO_CONFIG\"`)");
      }
      throw e;
    }
    try (Engine engine = started) {
      return McpStdio.run(engine.gate(), GatewayServer.mcpConfig(cfg, engine));
    }
  }
}
