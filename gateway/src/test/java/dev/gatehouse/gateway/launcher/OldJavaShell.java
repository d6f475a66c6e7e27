package dev.gatehouse.gateway.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A shell as a newcomer has it: the default {@code java} is 17 (Debian 12's), {@code JAVA_HOME}
 * names it too, and the commands run from the repository root exactly as the README writes them.
 */
public final class OldJavaShell {

  /** Debian 12's default JDK. */
  public static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  /** The repository root (tests run in the module directory). */
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private OldJavaShell() {}

  /** What a command printed (stdout and stderr together) and its exit code. */
  public record Result(int exit, String output) {}

  /** A process builder for {@code bash -c command} in that shell, from the repository root. */
  public static ProcessBuilder builder(String command) {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile());
    Map<String, String> env = pb.environment();
    String path = "/usr/local/bin:/usr/bin:/bin";
    if (Files.isExecutable(JAVA_17.resolve("bin/java"))) {
      env.put("JAVA_HOME", JAVA_17.toString());
      path = JAVA_17.resolve("bin") + ":" + path;
    } else {
      env.remove("JAVA_HOME");
    }
    env.put("PATH", path);
    return pb;
  }

  /** Runs {@code command} to its end (at most {@code seconds}). */
  public static Result run(String command, int seconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("old-java-shell-", ".log");
    try {
      Process p = builder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "`" + command + "` did not finish in " + seconds + " s: " + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
