package dev.gatehouse.gateway.cli;

import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.serve.GatewayServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse serve}: the gateway, until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the gateway: the wire proxy and one HTTP server with MCP, Slack, the admin API,"
            + " health and metrics. SIGTERM drains connections and stops.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "`text` or `json` (structured logs on stderr)")
  String logFormat;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig cfg = new GatewayConfigReader().read(config);
    GatewayServer server = GatewayServer.start(cfg, System::getenv);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "gatehouse-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      server.close();
      throw e;
    }
    return 0;
  }
}
