package dev.gatehouse.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Running the peers' and clients' programs, and reading what the kernel says about processes. */
public final class Procs {

  private Procs() {}

  /** Runs {@code command} to completion and returns its output; fails on a non-zero exit. */
  public static String run(List<String> command, Map<String, String> env, Duration timeout)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    // Read while it runs, so a chatty program never blocks on a full pipe.
    var out = new java.io.ByteArrayOutputStream();
    Thread reader =
        Thread.ofPlatform()
            .daemon(true)
            .start(
                () -> {
                  try {
                    p.getInputStream().transferTo(out);
                  } catch (java.io.IOException ignored) {
                    // the process ended
                  }
                });
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      // A wrapper such as /usr/bin/time leaves its child running when only it is killed.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " ran over " + timeout);
    }
    reader.join(5_000);
    String text = out.toString(StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + text);
    }
    return text;
  }

  /** A {@code kB} field of {@code /proc/<pid>/status}, e.g. VmHWM or VmRSS. */
  public static long statusKb(long pid, String field) throws Exception {
    String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
    Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
    if (!m.find()) {
      throw new IllegalStateException("no " + field + " for process " + pid);
    }
    return Long.parseLong(m.group(1));
  }
}
