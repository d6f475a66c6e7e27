package dev.gatehouse.gateway.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer does: {@code java -jar gateway/target/gatehouse.jar quickstart}, paste the
 * printed psql command for the analyst, see masked values, stop it. Runs the packaged jar as a
 * child process and measures the time until the instructions are printed.
 */
class QuickstartJarIT {

  private static final String QUERY = "SELECT email, ssn FROM app.customers LIMIT 3";

  @TempDir Path dir;

  @Test
  void theJarStartsPrintsInstructionsAndTheAnalystsPsqlCommandSeesMaskedValues() throws Exception {
    Path jar = Path.of("target", "gatehouse.jar");
    assertThat(jar).as("the packaged jar (mvn package runs before the integration tests)").exists();
    Path json = dir.resolve("quickstart.json");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long start = System.nanoTime();
    Process child =
        new ProcessBuilder(java, "-jar", jar.toString(), "quickstart", "--json", json.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      long printedAt = 0;
      long deadline = start + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(json)) {
        if (printedAt == 0 && Files.readString(out).contains("psql \"host=")) {
          printedAt = System.nanoTime();
        }
        assertThat(child.isAlive()).as("quickstart died: " + Files.readString(err)).isTrue();
        assertThat(System.nanoTime()).as("quickstart ready within 120 s").isLessThan(deadline);
        Thread.sleep(100);
      }
      if (printedAt == 0) {
        printedAt = System.nanoTime();
      }
      double seconds = (printedAt - start) / 1e9;
      System.out.printf("quickstart: instructions printed %.1f s after start%n", seconds);
      assertThat(seconds).as("instructions within 60 s").isLessThan(60);

      String printed = Files.readString(out);
      // stdout is for people: the instructions, no log lines.
      assertThat(printed.strip()).startsWith("Gatehouse quickstart is running");
      Matcher m = Pattern.compile("# analyst\\R(PGPASSWORD=\\S+ psql \"[^\"]+\")").matcher(printed);
      assertThat(m.find()).as(printed).isTrue();
      String command = m.group(1);

      List<String> rows = psqlAvailable() ? psql(command) : jdbc(command);
      assertThat(rows).hasSize(3);
      for (String row : rows) {
        String[] cells = row.split("\\|", -1);
        assertThat(cells[0]).matches("[a-z]\\*+@[a-z.]+");
        assertThat(cells[1]).doesNotContainPattern("\\d");
      }
    } finally {
      child.destroy();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("quickstart stops on SIGTERM").isTrue();
    }
  }

  /** Runs the printed command exactly as pasted into a shell. */
  private static List<String> psql(String command) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-c", command + " -X -A -t -c '" + QUERY + "'")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    System.out.println("psql printed:\n" + output);
    return output.lines().filter(l -> !l.isBlank()).toList();
  }

  /** Without psql on this machine: the same connection parameters through pgjdbc. */
  private static List<String> jdbc(String command) throws Exception {
    Matcher m =
        Pattern.compile(
                "PGPASSWORD=(\\S+) psql \"host=(\\S+) port=(\\d+) dbname=(\\S+) user=(\\S+) sslmode=disable\"")
            .matcher(command);
    assertThat(m.matches()).as(command).isTrue();
    Properties props = new Properties();
    props.setProperty("user", m.group(5));
    props.setProperty("password", m.group(1));
    props.setProperty("sslmode", "disable");
    List<String> rows = new ArrayList<>();
    String url = "jdbc:postgresql://" + m.group(2) + ":" + m.group(3) + "/" + m.group(4);
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(QUERY)) {
      while (rs.next()) {
        rows.add(rs.getString(1) + "|" + rs.getString(2));
      }
    }
    return rows;
  }

  private static boolean psqlAvailable() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, "psql"))) {
        return true;
      }
    }
    System.out.println("psql is not on PATH here; checking the printed parameters with pgjdbc");
    return false;
  }
}
