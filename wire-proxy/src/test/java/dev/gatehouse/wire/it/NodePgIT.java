package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * node-postgres through the proxy. Needs {@code node} and {@code npm} on the PATH; installs the
 * script's dependencies with {@code npm ci}/{@code npm install} in {@code src/test/node} when they
 * are missing (CI can run that ahead: {@code npm --prefix wire-proxy/src/test/node install}).
 */
class NodePgIT {

  static final Path DIR = Path.of("src/test/node").toAbsolutePath();
  static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    if (!onPath("node") || !onPath("npm")) {
      throw new IllegalStateException(
          "node and npm are required for the node-postgres test; install Node.js 18 or newer");
    }
    if (!Files.isDirectory(DIR.resolve("node_modules/pg"))) {
      Process npm =
          new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm install in " + DIR + " failed:\n" + out);
      }
    }
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void nodePostgresQueriesIsDeniedAndRecovers() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("node", "check.js").directory(DIR.toFile());
    var env = pb.environment();
    env.put("PGHOST", "127.0.0.1");
    env.put("PGPORT", String.valueOf(proxy.server.port()));
    env.put("PGUSER", "analyst");
    env.put("PGDATABASE", TestPostgres.SHOP);
    env.put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out)
        .contains(
            "\"simpleRows\":[{\"id\":\"1\",\"email\":\"***\"},{\"id\":\"2\",\"email\":\"***\"}]")
        .contains("\"extendedRows\":[{\"id\":\"3\",\"email\":\"***\"}]")
        .contains("\"named1\":")
        .contains("\"named2\":")
        .contains("\"code\":\"42501\"")
        .contains("analyst-read-only")
        .contains("\"afterDenial\":1");
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
