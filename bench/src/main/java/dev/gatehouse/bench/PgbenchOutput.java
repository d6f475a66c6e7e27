package dev.gatehouse.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one pgbench run reported: transactions processed, failed transactions, average latency and
 * throughput (without the initial connection time).
 */
public record PgbenchOutput(long transactions, long failed, double latencyMs, double tps) {

  private static final Pattern TRANSACTIONS =
      Pattern.compile("(?m)^number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED =
      Pattern.compile("(?m)^number of failed transactions: (\\d+)");
  private static final Pattern LATENCY = Pattern.compile("(?m)^latency average = ([0-9.]+) ms$");
  private static final Pattern TPS =
      Pattern.compile("(?m)^tps = ([0-9.]+) \\(without initial connection time\\)$");

  /**
   * Reads pgbench's summary (pgbench 14 or later, which prints failed transactions); refuses a run
   * that pgbench itself calls aborted or incomplete, since its figures would describe failures.
   */
  public static PgbenchOutput parse(String text) {
    if (text.contains("Run was aborted") || text.contains("aborted in command")) {
      throw new IllegalArgumentException("pgbench aborted the run: " + firstError(text));
    }
    return new PgbenchOutput(
        Long.parseLong(field(TRANSACTIONS, text, "number of transactions actually processed")),
        Long.parseLong(field(FAILED, text, "number of failed transactions")),
        Double.parseDouble(field(LATENCY, text, "latency average")),
        Double.parseDouble(field(TPS, text, "tps")));
  }

  private static String field(Pattern p, String text, String name) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "pgbench output has no `" + name + "` line: " + firstError(text));
    }
    return m.group(1);
  }

  /** The first line that reads like an error, else the start of the output, for the message. */
  static String firstError(String text) {
    for (String line : text.split("\n")) {
      if (line.contains("error") || line.contains("ERROR") || line.contains("FATAL")) {
        return line.strip();
      }
    }
    String start = text.strip();
    return start.length() > 200 ? start.substring(0, 200) + "..." : start;
  }
}
