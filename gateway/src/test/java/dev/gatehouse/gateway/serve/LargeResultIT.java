package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result of several gigabytes streams through the packaged gateway running with {@code -Xmx256m}:
 * every row arrives, the gateway survives, and its resident memory stays bounded.
 */
class LargeResultIT {

  private static final int ROWS = 2_000_000;
  private static final int WIDTH = 1000;
  private static final String QUERY =
      "SELECT g, repeat('x', " + WIDTH + ") FROM generate_series(1, " + ROWS + ") g";

  /** Resident memory the gateway may peak at; the result is more than twice as large (2 GB). */
  private static final long MAX_RSS_KB = 768 * 1024;

  @TempDir Path dir;

  @Test
  void severalGigabytesStreamThroughASmallHeap() throws Exception {
    TestPostgres pg = TestPostgres.get();
    Path config = writeConfig(pg);
    Path err = dir.resolve("serve-stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-jar",
            Path.of("target", "gatehouse.jar").toString(),
            "serve",
            "--config",
            config.toString());
    pb.environment().putAll(env(pg));
    Process serve =
        pb.redirectError(err.toFile())
            .redirectOutput(dir.resolve("serve-stdout.txt").toFile())
            .start();
    try {
      int wirePort = awaitWirePort(serve, err);
      Properties p = new Properties();
      p.setProperty("user", ReferencePrincipal.ETL_NIGHTLY.subject());
      p.setProperty("password", TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY));
      p.setProperty("sslmode", "disable");
      String url = "jdbc:postgresql://127.0.0.1:" + wirePort + "/shop";
      try (Connection c = DriverManager.getConnection(url, p)) {
        assertThat(selectOne(c)).isEqualTo(1);
        long rssBefore = vmHwmKb(serve.pid());

        Stream viaGateway = stream(c);
        long rssAfter = vmHwmKb(serve.pid());

        Stream direct;
        try (Connection d = pg.connect(TestPostgres.SHOP, pg.writer())) {
          direct = stream(d);
        }

        assertThat(viaGateway.rows()).isEqualTo(ROWS);
        assertThat(viaGateway.bytes()).isEqualTo(expectedBytes());
        assertThat(direct.rows()).as("baseline rows").isEqualTo(ROWS);
        assertThat(direct.bytes()).as("baseline bytes").isEqualTo(expectedBytes());
        assertThat(serve.isAlive()).as(Files.readString(err)).isTrue();
        assertThat(selectOne(c)).as("the session still answers").isEqualTo(1);
        try (Connection fresh = DriverManager.getConnection(url, p)) {
          assertThat(selectOne(fresh)).as("a new session is served").isEqualTo(1);
        }

        double mb = viaGateway.bytes() / 1e6;
        System.out.printf(
            "large result: %d rows, %.0f MB of values; gateway (-Xmx256m) %.1f s = %.0f MB/s,"
                + " direct %.1f s = %.0f MB/s; gateway VmHWM %d MB before, %d MB after%n",
            viaGateway.rows(),
            mb,
            viaGateway.seconds(),
            mb / viaGateway.seconds(),
            direct.seconds(),
            mb / direct.seconds(),
            rssBefore / 1024,
            rssAfter / 1024);
        assertThat(rssAfter).as("gateway peak RSS in kB").isLessThan(MAX_RSS_KB);
      }
    } finally {
      serve.destroyForcibly();
      serve.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Rows, bytes of values and time of one streamed read of {@link #QUERY}. */
  private record Stream(long rows, long bytes, long nanos) {
    double seconds() {
      return nanos / 1e9;
    }
  }

  // Autocommit off with a fetch size makes pgjdbc use a portal and Execute with a row limit,
  // so neither client nor gateway ever holds more than one batch.
  private static Stream stream(Connection c) throws Exception {
    c.setAutoCommit(false);
    long start = System.nanoTime();
    long rows = 0;
    long bytes = 0;
    try (Statement s = c.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet rs = s.executeQuery(QUERY)) {
        while (rs.next()) {
          rows++;
          bytes += rs.getString(1).length() + rs.getString(2).length();
        }
      }
    }
    c.commit();
    c.setAutoCommit(true);
    return new Stream(rows, bytes, System.nanoTime() - start);
  }

  private static long expectedBytes() {
    long bytes = (long) ROWS * WIDTH;
    for (int g = 1; g <= ROWS; g++) {
      bytes += Integer.toString(g).length();
    }
    return bytes;
  }

  private static int selectOne(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1);
    }
  }

  private static long vmHwmKb(long pid) throws Exception {
    Matcher m =
        Pattern.compile("VmHWM:\\s+(\\d+) kB")
            .matcher(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
    assertThat(m.find()).as("VmHWM of the gateway").isTrue();
    return Long.parseLong(m.group(1));
  }

  private static int awaitWirePort(Process serve, Path err) throws Exception {
    Matcher listening =
        Pattern.compile("gatehouse listening: wire ([0-9.]+):(\\d+), http (\\d+)").matcher("");
    // Listening, or dead: either way no reason to wait longer.
    Eventually.holdsWithin(
        Duration.ofSeconds(90),
        () -> listening.reset(Files.readString(err)).find() || !serve.isAlive());
    assertThat(listening.reset(Files.readString(err)).find()).as(Files.readString(err)).isTrue();
    return Integer.parseInt(listening.group(2));
  }

  private Path writeConfig(TestPostgres pg) throws Exception {
    String adapted =
        ExampleConfig.adapted(pg, pg.createEmptyDatabase("large_control"), "1s")
            // Nothing leaves this machine: the Slack Web API is a closed loopback port.
            .replace("apiUrl: https://slack.com/api/", "apiUrl: http://127.0.0.1:9/api/");
    assertThat(adapted).doesNotContain("5432/gatehouse").doesNotContain("slack.com/api");
    return ExampleConfig.write(dir, adapted);
  }

  private static Map<String, String> env(TestPostgres pg) {
    return ExampleConfig.env(pg, "xoxb-1-2-largeresult", "0123456789abcdef0123");
  }
}
