package dev.gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a running process has used so far, from {@code /proc/<pid>/stat}. */
final class CpuTime {

  /** Linux reports utime and stime in clock ticks of 1/100 s on every architecture we run on. */
  private static final double TICKS_PER_SECOND = 100;

  private CpuTime() {}

  /** User plus system CPU seconds of the process (all its threads). */
  static double seconds(long pid) throws IOException {
    return parse(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
  }

  /** {@link #seconds}, or NaN when the process is gone. */
  static double secondsOrNaN(long pid) {
    try {
      return seconds(pid);
    } catch (IOException | RuntimeException gone) {
      return Double.NaN;
    }
  }

  static double parse(String stat) {
    // The command name (field 2) may hold spaces and parentheses; fields after its last ')' are
    // plain: state is field 3, utime field 14, stime field 15.
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return (Long.parseLong(rest[11]) + Long.parseLong(rest[12])) / TICKS_PER_SECOND;
  }
}
