package dev.gatehouse.gateway.cli;

import dev.gatehouse.gateway.quickstart.EnvFile;
import dev.gatehouse.gateway.quickstart.Instructions;
import dev.gatehouse.gateway.quickstart.Quickstart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse quickstart}: the whole product on one machine, with instructions. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded PostgreSQL with the shop database, a local OIDC issuer, the reference"
            + " policy and the gateway, then print psql commands, an MCP client config and things"
            + " to try. Runs until Ctrl-C.")
public final class QuickstartCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "also write the ports and tokens to this file, when ready")
  Path json;

  @Option(names = "--wire-port", defaultValue = "0", description = "wire proxy port (0: any free)")
  int wirePort;

  @Option(names = "--http-port", defaultValue = "0", description = "HTTP port (0: any free)")
  int httpPort;

  @Option(
      names = "--dir",
      description = "where config, policy and secrets go (default: a temp dir)")
  Path dir;

  @Option(names = "--log-format", defaultValue = "text", description = "`text` or `json`")
  String logFormat;

  @Option(
      names = "--keep",
      description = "keep the temporary directory (config, secrets, audit spool) after Ctrl-C")
  boolean keep;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path directory = dir != null ? dir : Files.createTempDirectory("gatehouse-quickstart-");
    // A temporary directory holds the audit key and upstream passwords: gone after Ctrl-C unless
    // asked for. A directory the user named is theirs and stays.
    boolean remove = dir == null && !keep;
    Quickstart quickstart;
    try {
      quickstart = Quickstart.start(directory, wirePort, httpPort);
    } catch (IOException | RuntimeException e) {
      if (remove) {
        Directories.delete(directory);
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          quickstart.close();
          if (remove) {
            Directories.delete(directory);
          }
        };
    Thread hook =
        new Thread(
            () -> {
              stop.run();
              stopped.countDown();
            },
            "gatehouse-quickstart-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Quickstart.Running running = quickstart.running();
    EnvFile.write(running);
    Path mcp = directory.resolve(Instructions.MCP_FILE);
    Files.writeString(mcp, Instructions.mcpSnippet(running, "analyst") + "\n");
    PrintWriter out = spec.commandLine().getOut();
    out.println(Instructions.text(running, command(), remove));
    out.flush();
    if (json != null) {
      // Written whole, then moved: a reader waiting for the file never sees half of it.
      Path tmp = json.resolveSibling(json.getFileName() + ".tmp");
      Files.writeString(
          tmp, Json.write(Instructions.json(quickstart.running())), StandardCharsets.UTF_8);
      Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // In-process callers stop the quickstart by interrupting its thread.
      Runtime.getRuntime().removeShutdownHook(hook);
      stop.run();
    }
    return 0;
  }

  /** How to run gatehouse again, as the user started it: the launcher names itself. */
  static String command() {
    String launcher = System.getenv("GATEHOUSE_COMMAND");
    if (launcher != null && !launcher.isBlank()) {
      return launcher;
    }
    try {
      var location = QuickstartCommand.class.getProtectionDomain().getCodeSource().getLocation();
      String path = location.getPath();
      int bang = path.indexOf(".jar");
      if (path.startsWith("nested:") || path.startsWith("file:") || bang > 0) {
        path = path.replaceFirst("^nested:", "").replaceFirst("^file:", "");
        path = path.substring(0, path.indexOf(".jar") + 4);
        return "java -jar " + Path.of(path);
      }
    } catch (RuntimeException e) {
      // fall through to the generic form
    }
    return "java -jar gatehouse.jar";
  }
}
