package dev.gatehouse.bench;

import java.util.Map;

/** A part's numeric settings: a command-line argument first, then an environment variable. */
final class Settings {

  private Settings() {}

  /**
   * The positive integer at {@code args[index]}, else in {@code env}, else {@code fallback}.
   *
   * @throws IllegalArgumentException when the value given is not a positive integer
   */
  static int positive(
      String[] args, int index, String env, Map<String, String> environment, int fallback) {
    String value = args.length > index ? args[index] : environment.get(env);
    String source = args.length > index ? "argument " + (index + 1) : env;
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        source + " must be a positive whole number, not `" + value + "`");
  }

  /** {@link #positive(String[], int, String, Map, int)} with the process's environment. */
  static int positive(String[] args, int index, String env, int fallback) {
    return positive(args, index, env, System.getenv(), fallback);
  }
}
