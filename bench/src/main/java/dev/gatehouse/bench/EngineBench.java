package dev.gatehouse.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Part 5: the policy engine's own JMH benchmarks (policy-engine's test sources), run in forked JVMs
 * on policy-engine's test class path, which {@code bench/parts/engine.sh} builds and passes as a
 * file; the bench module itself never compiles against them.
 */
public final class EngineBench {

  static final String PACKAGE = "dev.gatehouse.engine.bench.";

  private EngineBench() {}

  /** JMH run lengths and what to include, from environment variables. */
  record Settings(
      int forks,
      int warmupIterations,
      int warmupSeconds,
      int iterations,
      int seconds,
      int maskingWarmupIterations,
      boolean tokens,
      int tailSeconds) {
    static Settings fromEnv() {
      Settings s =
          new Settings(
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_FORKS", 1),
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_WARMUP_ITERATIONS", 2),
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_WARMUP_SECONDS", 1),
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_ITERATIONS", 3),
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_SECONDS", 2),
              // Masking's loop reaches its compiled speed late, later still on a busy machine.
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_MASKING_WARMUP_ITERATIONS", 5),
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_TOKENS", 1) == 1,
              LargeResultBench.intEnv("GATEHOUSE_BENCH_ENGINE_TAIL_SECONDS", 6));
      if (s.forks < 1 || s.iterations < 1 || s.seconds < 1 || s.tailSeconds < 1) {
        throw new IllegalArgumentException(
            "forks, iterations, seconds and tail seconds must be at least 1, got " + s);
      }
      return s;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      throw new IllegalArgumentException(
          "usage: EngineBench <file holding policy-engine's test class path>");
    }
    String classpath = Files.readString(Path.of(args[0])).strip();
    Settings settings = Settings.fromEnv();
    PartResult result = new PartResult("engine");
    Path work = Files.createTempDirectory("gatehouse-bench-engine-");
    try {
      EngineBench.log("analyse-and-decide (JMH, sample time, with -prof gc)");
      List<JmhResults.Result> decide =
          jmh(
              classpath,
              settings,
              work,
              "AnalyzeAndDecideBenchmark",
              "cachedHitsOnly|cached|uncached",
              settings.warmupIterations(),
              List.of("-prof", "gc"));
      EngineBench.log("what the tail of `cached` is made of: every call timed by corpus case");
      JsonNode tail = tail(classpath, settings, work);
      // The benchmark's baselineNoMasking measures a loop the JIT empties; it is left out.
      EngineBench.log("masking (JMH, throughput)");
      List<JmhResults.Result> masking =
          jmh(
              classpath,
              settings,
              work,
              "MaskingBenchmark",
              "maskCells",
              settings.maskingWarmupIterations(),
              List.of());
      List<JmhResults.Result> tokens = List.of();
      if (settings.tokens()) {
        EngineBench.log("token verification (JMH, sample time)");
        tokens =
            jmh(
                classpath,
                settings,
                work,
                "TokenVerifyBenchmark",
                "baselineNimbusVerify|verifyWorkloadToken",
                settings.warmupIterations(),
                List.of());
      }
      EngineSection section = new EngineSection(settings, decide, tail, masking, tokens);
      result.write(section.figures(), section.markdown());
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(work);
    }
  }

  /**
   * Runs methods of one benchmark class with JMH's command line and reads its JSON results.
   *
   * @param methods a regular expression of method names, e.g. {@code cached|uncached}
   */
  static List<JmhResults.Result> jmh(
      String classpath,
      Settings s,
      Path work,
      String benchmark,
      String methods,
      int warmupIterations,
      List<String> extra)
      throws Exception {
    Path json = work.resolve(benchmark + ".json");
    List<String> command = new ArrayList<>(java(classpath));
    command.addAll(
        List.of(
            "org.openjdk.jmh.Main",
            "^" + PACKAGE.replace(".", "\\.") + benchmark + "\\.(" + methods + ")$",
            "-f",
            String.valueOf(s.forks()),
            "-wi",
            String.valueOf(warmupIterations),
            "-w",
            s.warmupSeconds() + "s",
            "-i",
            String.valueOf(s.iterations()),
            "-r",
            s.seconds() + "s",
            "-t",
            "1",
            "-foe",
            "true",
            "-rf",
            "json",
            "-rff",
            json.toString(),
            // A fork whose benchmark leaves threads behind (the token benchmark's issuer) would
            // otherwise hold its results back for JMH's 30 s shutdown wait.
            "-jvmArgsAppend",
            "-Djmh.shutdownTimeout=1 -Djmh.shutdownTimeout.step=1"));
    command.addAll(extra);
    run(command);
    List<JmhResults.Result> results = JmhResults.parse(Files.readString(json));
    if (results.isEmpty()) {
      throw new IllegalStateException("JMH ran no benchmark of " + benchmark);
    }
    return results;
  }

  private static JsonNode tail(String classpath, Settings s, Path work) throws Exception {
    Path json = work.resolve("decision-tail.json");
    List<String> command = new ArrayList<>(java(classpath));
    command.addAll(
        List.of(PACKAGE + "DecisionTail", json.toString(), String.valueOf(s.tailSeconds())));
    run(command);
    return JsonMapper.builder().build().readTree(Files.readString(json));
  }

  private static List<String> java(String classpath) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath);
  }

  /** Runs a child JVM to completion, its output going to our stderr as progress. */
  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread copier =
        Thread.ofPlatform()
            .daemon(true)
            .start(
                () -> {
                  try (InputStream in = p.getInputStream()) {
                    in.transferTo(System.err);
                  } catch (IOException ignored) {
                    // the child ended
                  }
                });
    try {
      if (!p.waitFor(20, TimeUnit.MINUTES)) {
        throw new IllegalStateException(String.join(" ", command) + " ran over 20 minutes");
      }
    } finally {
      if (p.isAlive()) {
        // JMH forks its own JVMs; end them too, not only the JMH host.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      copier.join(5_000);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(command.get(3) + " exited with " + p.exitValue());
    }
  }

  static void log(String line) {
    System.err.println("bench engine: " + line);
  }
}
