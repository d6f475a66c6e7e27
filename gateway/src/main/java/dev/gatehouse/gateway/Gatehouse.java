package dev.gatehouse.gateway;

import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.gateway.cli.AotCacheCommand;
import dev.gatehouse.gateway.cli.ApprovalsCommand;
import dev.gatehouse.gateway.cli.AuditCommand;
import dev.gatehouse.gateway.cli.ConfigCommand;
import dev.gatehouse.gateway.cli.InitCommand;
import dev.gatehouse.gateway.cli.McpStdioCommand;
import dev.gatehouse.gateway.cli.PolicyCommand;
import dev.gatehouse.gateway.cli.QuickstartCommand;
import dev.gatehouse.gateway.cli.ReviewCommand;
import dev.gatehouse.gateway.cli.ServeCommand;
import dev.gatehouse.gateway.config.ConfigException;
import dev.gatehouse.testkit.TestPostgres;
import java.io.PrintWriter;
import java.util.Arrays;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: the gateway and its operator tools in one jar. */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    version = "gatehouse 0.1.0",
    description = "Governed access for AI agents and automated jobs to PostgreSQL.",
    subcommands = {
      ServeCommand.class,
      InitCommand.class,
      McpStdioCommand.class,
      AotCacheCommand.class,
      QuickstartCommand.class,
      PolicyCommand.class,
      AuditCommand.class,
      ReviewCommand.class,
      ApprovalsCommand.class,
      ConfigCommand.class
    })
public final class Gatehouse implements Runnable {

  /** Exit code of a refused configuration or bad input. */
  public static final int CONFIG_ERROR = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  public static void main(String[] args) {
    // Logging is set up before the first logger exists: JSON on request, always on stderr so
    // that stdout carries only what a command prints (and the MCP protocol for mcp-stdio).
    if (Arrays.asList(args).contains("json")
        && Arrays.asList(args).indexOf("json") > 0
        && "--log-format".equals(args[Arrays.asList(args).indexOf("json") - 1])) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    // The quickstart's PostgreSQL stops after its gateway, not in a shutdown hook racing it.
    System.setProperty(TestPostgres.CALLER_STOPS_PROPERTY, "true");
    // Tomcat and others log through java.util.logging; route it to the same place.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    // Set up logging now, on one thread, before start-up work runs on several.
    LoggerFactory.getLogger(Gatehouse.class).debug("gatehouse {}", Arrays.asList(args));
    System.exit(commandLine().execute(args));
  }

  /** The command line with Gatehouse's error handling, for {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Gatehouse());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof ConfigException c) {
            // every problem of the file, one line each, as `config validate` reports them
            c.problems().forEach(p -> err.println("gatehouse: " + p));
            err.flush();
            return CONFIG_ERROR;
          }
          if (e instanceof PolicyException p) {
            p.problems().forEach(one -> err.println("gatehouse: " + one.getMessage()));
            err.flush();
            return CONFIG_ERROR;
          }
          if (e instanceof IllegalArgumentException) {
            err.println("gatehouse: " + e.getMessage());
            err.flush();
            return CONFIG_ERROR;
          }
          err.println("gatehouse: " + e);
          e.printStackTrace(err);
          err.flush();
          return 1;
        });
    return cli;
  }
}
