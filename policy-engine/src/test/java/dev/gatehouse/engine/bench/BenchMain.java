package dev.gatehouse.engine.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link AnalyzeAndDecideBenchmark} briefly and prints median and p99 in microseconds: {@code
 * ./mvnw -q -pl policy-engine -am -Pbench test-compile}. In-process (no fork) so that it runs from
 * Maven's test class path; pass {@code -Dbench.seconds=N} for longer iterations.
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("bench.seconds", 3);
    Options options =
        new OptionsBuilder()
            .include(AnalyzeAndDecideBenchmark.class.getSimpleName())
            .forks(0)
            .threads(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(seconds))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(seconds))
            .build();
    Collection<RunResult> results = new Runner(options).run();
    for (RunResult r : results) {
      var stats = r.getPrimaryResult().getStatistics();
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      System.out.printf(
          "analyse-and-decide %-8s median %8.1f us   p99 %8.1f us   (%d samples)%n",
          name, stats.getPercentile(50), stats.getPercentile(99), stats.getN());
    }
  }
}
