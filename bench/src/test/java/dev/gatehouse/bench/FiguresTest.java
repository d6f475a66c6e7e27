package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Medians, ratios and target verdicts over checked runs; invalid runs never count. */
class FiguresTest {

  @Test
  void medianOfValidRunsOnly() {
    List<PgbenchRun> runs =
        List.of(
            run("direct", 1, 100, List.of()),
            run("direct", 2, 300, List.of()),
            run("direct", 3, 9_999, List.of("3 failed transactions")),
            run("direct", 0, 5_000, List.of()));

    // Round 0 is a warm-up and the third run failed its checks: (100 + 300) / 2.
    assertThat(Figures.tps(runs, "direct", "prepared", 8)).hasValue(200.0);
    assertThat(Figures.tps(runs, "gatehouse", "prepared", 8)).isEmpty();
  }

  @Test
  void verdictGivesTheMarginAgainstTheBar() {
    assertThat(Figures.verdict(OptionalDouble.of(0.99), 0.9))
        .startsWith("met, 0.99 vs 0.90 (+10.0%)");
    assertThat(Figures.verdict(OptionalDouble.of(0.45), 0.9))
        .isEqualTo("**missed**, 0.45 vs 0.90 (-50.0%)");
    assertThat(Figures.verdict(OptionalDouble.empty(), 1.0)).contains("not measured");
  }

  @Test
  void noiseIsNamedWhenAPeerBeatsDirect() {
    List<PgbenchRun> quiet =
        List.of(run("direct", 1, 1000, List.of()), run("haproxy", 1, 900, List.of()));
    List<PgbenchRun> noisy =
        List.of(run("direct", 1, 1000, List.of()), run("haproxy", 1, 2000, List.of()));

    assertThat(WireReport.noise(quiet)).isEmpty();
    assertThat(WireReport.noise(noisy))
        .contains("haproxy/direct, prepared, 8 clients measured 2.00");
  }

  private static PgbenchRun run(String target, int round, double tps, List<String> problems) {
    return new PgbenchRun(
        target,
        "prepared",
        8,
        round,
        new PgbenchOutput(1000, 0, 1.0, tps),
        null,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        null,
        problems);
  }
}
