package dev.gatehouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One packaged gateway ({@code gatehouse.jar serve}) running as a child process. */
public final class Gateway {

  private static final Pattern LISTENING =
      Pattern.compile("gatehouse listening: wire ([0-9.]+):(\\d+), http (\\d+)");

  private final Process process;
  private final Path dir;
  private final int wirePort;
  private final int httpPort;

  private Gateway(Process process, Path dir, int wirePort, int httpPort) {
    this.process = process;
    this.dir = dir;
    this.wirePort = wirePort;
    this.httpPort = httpPort;
  }

  static Gateway start(Path dir, Path config, Map<String, String> env, List<String> jvmArgs)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    // Extra options for a profile, e.g. -XX:StartFlightRecording=filename=wire.jfr
    // (bench/README.md).
    String extra = System.getenv("GATEHOUSE_BENCH_GATEWAY_JVM");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", jar().toString(), "serve", "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    Path err = dir.resolve("serve-stderr.txt");
    Process process =
        pb.redirectError(err.toFile())
            .redirectOutput(dir.resolve("serve-stdout.txt").toFile())
            .start();
    Matcher m = LISTENING.matcher("");
    // Generous: a loaded 2-core machine starts Spring slowly.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!m.reset(Files.readString(err)).find()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "gatehouse serve did not start; its log:\n" + Files.readString(err));
      }
      Thread.sleep(100);
    }
    return new Gateway(process, dir, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** {@code gateway/target/gatehouse.jar}, from the repository root or a module directory. */
  static Path jar() {
    for (Path candidate :
        List.of(Path.of("gateway", "target"), Path.of("..", "gateway", "target"))) {
      Path jar = candidate.resolve("gatehouse.jar").toAbsolutePath().normalize();
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    throw new IllegalStateException(
        "gateway/target/gatehouse.jar is missing: run the bench through bench/*.sh, which builds it");
  }

  public int wirePort() {
    return wirePort;
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return process.pid();
  }

  /** False once the process has exited: a gateway that died mid-run voids the figures. */
  public boolean alive() {
    return process.isAlive();
  }

  public Path logFile() {
    return dir.resolve("serve-stderr.txt");
  }

  /** Peak resident memory so far (VmHWM), in kB. */
  public long peakRssKb() throws Exception {
    return Procs.statusKb(process.pid(), "VmHWM");
  }

  /** Resident memory now (VmRSS), in kB. */
  public long rssKb() throws Exception {
    return Procs.statusKb(process.pid(), "VmRSS");
  }

  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
