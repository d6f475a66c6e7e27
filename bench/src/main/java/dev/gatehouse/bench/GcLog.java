package dev.gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM's heap as its own {@code -Xlog:gc:file=...} tells it, plus {@code jcmd GC.run} to
 * learn the live heap at a chosen moment (a full collection leaves only what is still reachable).
 */
final class GcLog {

  /** One collection: {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 150M->12M(256M)}. */
  record Pause(int id, String kind, long beforeMb, long afterMb, long committedMb, double ms) {
    boolean full() {
      return kind.startsWith("Pause Full");
    }
  }

  /** The collections between two moments: how many, and the largest heap left after one. */
  record Window(int pauses, long maxAfterMb, long maxBeforeMb, double pauseMs) {}

  private static final Pattern PAUSE =
      Pattern.compile("GC\\((\\d+)\\) (Pause .*?) (\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");

  private final Path file;

  GcLog(Path file) {
    this.file = file;
  }

  /** {@code -Xlog:gc:file=<file>} for the child JVM's command line. */
  String jvmArg() {
    return "-Xlog:gc:file=" + file;
  }

  List<Pause> pauses() throws IOException {
    return Files.isRegularFile(file) ? parse(Files.readString(file)) : List.of();
  }

  static List<Pause> parse(String log) {
    List<Pause> pauses = new ArrayList<>();
    Matcher m = PAUSE.matcher(log);
    while (m.find()) {
      pauses.add(
          new Pause(
              Integer.parseInt(m.group(1)),
              m.group(2).strip(),
              Long.parseLong(m.group(3)),
              Long.parseLong(m.group(4)),
              Long.parseLong(m.group(5)),
              Double.parseDouble(m.group(6))));
    }
    return pauses;
  }

  /** The collections from index {@code from} (a size of {@link #pauses()} taken earlier) on. */
  static Window window(List<Pause> pauses, int from) {
    long maxAfter = 0;
    long maxBefore = 0;
    double ms = 0;
    for (Pause p : pauses.subList(Math.min(from, pauses.size()), pauses.size())) {
      maxAfter = Math.max(maxAfter, p.afterMb());
      maxBefore = Math.max(maxBefore, p.beforeMb());
      ms += p.ms();
    }
    return new Window(pauses.size() - Math.min(from, pauses.size()), maxAfter, maxBefore, ms);
  }

  /**
   * Asks the JVM for a full collection and returns the heap it left, in MB: the live set.
   *
   * @throws IllegalStateException when the collection does not show up in the log
   */
  long liveHeapMb(long pid) throws Exception {
    int before = pauses().size();
    Procs.run(List.of(jcmd(), String.valueOf(pid), "GC.run"), java.util.Map.of(), timeout());
    long deadline = System.nanoTime() + timeout().toNanos();
    while (System.nanoTime() < deadline) {
      List<Pause> now = pauses();
      for (Pause p : now.subList(Math.min(before, now.size()), now.size())) {
        if (p.full()) {
          return p.afterMb();
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no full collection in " + file + " after jcmd GC.run");
  }

  /** Heap in use now (young garbage included), in kB, from {@code jcmd GC.heap_info}. */
  static long heapUsedKb(long pid) throws Exception {
    String info =
        Procs.run(
            List.of(jcmd(), String.valueOf(pid), "GC.heap_info"), java.util.Map.of(), timeout());
    return usedKb(info);
  }

  /** Sums {@code used NK} over the heap lines (G1 has one, the generational collectors two). */
  static long usedKb(String heapInfo) {
    Matcher m =
        Pattern.compile("(?m)^.*(?:heap|generation)\\s+total.*?used (\\d+)K").matcher(heapInfo);
    long used = 0;
    boolean any = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
      any = true;
    }
    if (!any) {
      throw new IllegalStateException(
          "jcmd GC.heap_info said nothing about the heap:\n" + heapInfo);
    }
    return used;
  }

  private static String jcmd() {
    return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
  }

  private static Duration timeout() {
    return Duration.ofSeconds(30);
  }
}
