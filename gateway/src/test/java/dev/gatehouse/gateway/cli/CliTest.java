package dev.gatehouse.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.Cli;
import dev.gatehouse.gateway.Cli.Run;
import dev.gatehouse.gateway.Gatehouse;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line itself: help everywhere, and bad configs as one line and exit 2. */
class CliTest {

  @TempDir Path dir;

  @Test
  void everyCommandHasHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Gatehouse.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThanOrEqualTo(16);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run r = Cli.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage: gatehouse");
    }
  }

  private static void collect(CommandLine cli, List<String> prefix, List<List<String>> paths) {
    paths.add(List.copyOf(prefix));
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help")) {
                List<String> next = new ArrayList<>(prefix);
                next.add(name);
                collect(sub, next, paths);
              }
            });
  }

  @Test
  void anUnknownFieldIsOneLineAndExitTwo() throws IOException {
    Path f = config("http:\n  prot: 1\n", closedPort());
    Run r = Cli.run("config", "validate", "--config", f.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("gatehouse: config `" + f + "` line 12, field `http.prot`: unknown field");
  }

  @Test
  void aMissingSecretFileIsOneLineAndExitTwo() throws IOException {
    Path f = config("", closedPort()).toAbsolutePath();
    Files.delete(dir.resolve("audit.key"));
    Run r = Cli.run("serve", "--config", f.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("line 8, field `audit.key`: cannot read file");
  }

  @Test
  void anUnreachableControlDatabaseStopsServeBeforeAnythingListens() throws IOException {
    int dead = closedPort();
    int http = closedPort();
    Path f = config("http:\n  port: " + http + "\n", dead);
    Run r = Cli.run("serve", "--config", f.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .contains("line 4, field `control.url`: cannot connect to the control database")
        .contains(":" + dead + "/");
    // Nothing was left listening on the configured port.
    try (ServerSocket s = new ServerSocket(http)) {
      assertThat(s.getLocalPort()).isEqualTo(http);
    }
  }

  @Test
  void validateReportsTheUnreachableDatabaseToo() throws IOException {
    Path f = config("", closedPort());
    Run r = Cli.run("config", "validate", "--config", f.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("field `control.url`: cannot connect");
  }

  @Test
  void aNameOfNoCommandIsAUsageError() {
    Run r = Cli.run("frobnicate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("frobnicate");
  }

  private Path config(String extra, int controlPort) throws IOException {
    Files.writeString(dir.resolve("policy.yaml"), "version: 1\n");
    Files.writeString(
        dir.resolve("audit.key"), java.util.Base64.getEncoder().encodeToString(new byte[32]));
    Path f = dir.resolve("gatehouse.yaml");
    Files.writeString(
        f,
        """
        version: 1
        policy: {file: policy.yaml}
        control:
          url: jdbc:postgresql://127.0.0.1:%d/gatehouse
          user: gatehouse
        audit:
          spoolDirectory: spool
          key: ${file:%s}
        mcp: {database: shop}
        wire: {port: 0}
        """
                .formatted(controlPort, dir.resolve("audit.key"))
            + extra);
    return f;
  }

  /** A port nobody listens on (bound, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
