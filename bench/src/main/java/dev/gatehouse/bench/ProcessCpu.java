package dev.gatehouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used (user + system, from {@code /proc/<pid>/stat}): over a run, it tells
 * a proxy that is busy computing from one that is mostly waiting.
 */
final class ProcessCpu {

  /** {@code USER_HZ}: the unit of the stat times, 100 on every Linux the bench runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  /** Seconds of CPU used so far, or NaN when the process is gone. */
  static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (Exception gone) {
      return Double.NaN;
    }
  }
}
