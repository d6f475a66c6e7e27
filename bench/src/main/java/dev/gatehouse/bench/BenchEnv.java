package dev.gatehouse.bench;

/** Durations and repetitions from the environment, with the defaults that keep run-all short. */
final class BenchEnv {

  private BenchEnv() {}

  /** A positive whole number from {@code name}, or {@code fallback} when it is unset. */
  static int positive(String name, int fallback) {
    return Settings.positive(new String[0], 0, name, fallback);
  }

  /** A progress line on stderr, with the wall-clock time so slow steps show. */
  static void progress(String format, Object... args) {
    System.err.println(
        "bench: "
            + java.time.LocalTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"))
            + " "
            + format.formatted(args));
  }
}
