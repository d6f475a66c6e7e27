package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** psql (libpq) through the proxy: a query, a denial, and the same session carrying on. */
class PsqlIT {

  static final Path PSQL = Path.of("/usr/bin/psql");
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    if (!Files.isExecutable(PSQL)) {
      throw new IllegalStateException("psql is required at " + PSQL + " for this test");
    }
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void queryDenialAndRecoveryInOneSession() throws Exception {
    Result r =
        psql(
            ReferencePrincipal.ANALYST,
            "SELECT id, email FROM app.customers WHERE id = 1",
            "DELETE FROM app.orders WHERE id = 1",
            "SELECT 40 + 2");
    assertThat(r.stdout()).contains("1|***").contains("42");
    assertThat(r.stderr()).contains("42501").contains("analyst-read-only");
    assertThat(r.exit()).isZero(); // psql carries on after an ERROR: the session survived
  }

  @Test
  void copyOutIsMaskedAndCopyInWrites() throws Exception {
    Result out =
        psql(
            ReferencePrincipal.ANALYST,
            "COPY (SELECT id, email FROM app.customers WHERE id <= 2 ORDER BY id) TO STDOUT");
    assertThat(out.stdout()).isEqualTo("1\t***\n2\t***\n");
    String db = TestPostgres.get().createShopDatabase("wire_copy");
    Result in =
        psqlOn(
            db,
            ReferencePrincipal.ETL_NIGHTLY,
            "COPY app.orders (customer_id, total, note) FROM STDIN",
            "1\t9.99\tfrom copy\n2\t19.99\t\\N\n\\.\n");
    assertThat(in.stderr()).isEmpty();
    assertThat(in.stdout()).contains("COPY 2");
  }

  record Result(int exit, String stdout, String stderr) {}

  static Result psql(ReferencePrincipal who, String... commands) throws Exception {
    return run(TestPostgres.SHOP, who, null, commands);
  }

  static Result psqlOn(String db, ReferencePrincipal who, String command, String stdin)
      throws Exception {
    return run(db, who, stdin, command);
  }

  static Result run(String db, ReferencePrincipal who, String stdin, String... commands)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PSQL.toString());
    cmd.add("-X");
    cmd.add("-A");
    cmd.add("-t");
    cmd.add("-v");
    cmd.add("VERBOSITY=verbose");
    cmd.add(
        "host=127.0.0.1 port="
            + proxy.server.port()
            + " dbname="
            + db
            + " user="
            + who.subject()
            + " sslmode=disable");
    for (String c : commands) {
      cmd.add("-c");
      cmd.add(c);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("PGPASSWORD", ProxyFixture.token(who));
    env.put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish");
    }
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
