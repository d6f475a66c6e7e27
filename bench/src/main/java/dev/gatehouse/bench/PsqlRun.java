package dev.gatehouse.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code psql -X -A -t -c <query> -o <file>} under {@code /usr/bin/time}: the client a user
 * would reach for, its wall time and its own peak resident memory.
 *
 * @param seconds from starting psql to its exit (connect, query, receive, print)
 * @param peakRssKb psql's maximum resident set size, as {@code time -f %M} reports it
 * @param cpuSeconds psql's user plus system CPU time ({@code time -f "%U %S"})
 */
record PsqlRun(double seconds, long peakRssKb, double cpuSeconds) {

  /** Where psql connects, as whom, with what password (a token through Gatehouse). */
  record Target(String host, int port, String user, String database, String password) {}

  static PsqlRun run(Target target, String sql, Path output, Duration timeout) throws Exception {
    List<String> command =
        List.of(
            "/usr/bin/time",
            "-f",
            "%M %U %S",
            "psql",
            "-X",
            "-A",
            "-t",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            target.host(),
            "-p",
            String.valueOf(target.port()),
            "-U",
            target.user(),
            "-d",
            target.database(),
            "-c",
            sql,
            "-o",
            output.toString());
    Map<String, String> env =
        Map.of("PGPASSWORD", target.password(), "PGSSLMODE", "disable", "PGCONNECT_TIMEOUT", "30");
    long start = System.nanoTime();
    String out = Procs.run(command, env, timeout);
    double seconds = (System.nanoTime() - start) / 1e9;
    return parse(seconds, out);
  }

  /** The last line of what psql and time printed is time's {@code %M %U %S}. */
  static PsqlRun parse(double seconds, String output) {
    String[] lines = output.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    if (lines.length > 1 || !last.matches("\\d+ \\d+\\.\\d+ \\d+\\.\\d+")) {
      throw new IllegalStateException("psql said more than expected:\n" + output);
    }
    String[] f = last.split(" ");
    return new PsqlRun(
        seconds, Long.parseLong(f[0]), Double.parseDouble(f[1]) + Double.parseDouble(f[2]));
  }
}
