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
    try (Engine engine = GatewayServer.startEngine(cfg, System::getenv, List.of())) {
      return McpStdio.run(engine.gate(), GatewayServer.mcpConfig(cfg, engine));
    }
  }
}
