package dev.gatehouse.bench;

import java.util.Locale;
import java.util.Map;

/** The Markdown section of the MCP part: what was compared, how, the figures and the target. */
final class McpSection {

  static final String REFERENCE = "reference server-postgres";

  /** The transport label of mcp-stdio started on a JVM ahead-of-time cache. */
  static final String STDIO_AOT = "stdio, AOT cache";

  private McpSection() {}

  static String render(McpRun run, Map<String, Map<String, Long>> audit) {
    StringBuilder md = new StringBuilder();
    md.append("## 4. MCP: `query` latency, Gatehouse vs the reference Postgres MCP server\n\n");
    md.append(
        """
        One client, the MCP Java SDK's synchronous client (`McpClient.sync`, the same in every \
        row), calls the SQL tool of each server in a loop, one call at a time, with `%s`. Each \
        server first gets %d warm-up calls; then %d timed calls per server run in %d interleaved \
        blocks (each block gives every server its share, in rotating order, so a change of load \
        on this shared machine falls on all rows alike). Every call's result is checked (not an \
        error, exactly the row `1, <full_name>`) outside the timed span. All servers reach the \
        same PostgreSQL 16 database as `gatehouse_reader`; the server's settings, read back in \
        this run: %s.

        """
            .formatted(McpBench.SQL, run.warmup(), run.calls(), run.blocks(), run.durability()));
    md.append("| server | transport | governance | median ms | p90 ms | p99 ms | max ms |\n");
    md.append("|---|---|---|---:|---:|---:|---:|\n");
    for (McpRun.Measured m : run.measured()) {
      Latencies l = m.latencies();
      md.append("| ")
          .append(m.target().name())
          .append(" | ")
          .append(m.target().transport())
          .append(" | ")
          .append(m.target().governed() ? "token, policy, masking, audit" : "none")
          .append(" | ")
          .append(Latencies.ms(l.medianNanos()))
          .append(" | ")
          .append(Latencies.ms(l.p90Nanos()))
          .append(" | ")
          .append(Latencies.ms(l.p99Nanos()))
          .append(" | ")
          .append(Latencies.ms(l.maxNanos()))
          .append(" |\n");
    }
    md.append("\n**Ratios of medians (same run):** ");
    md.append(ratio(run, "Gatehouse", "streamable HTTP", REFERENCE, "stdio")).append("; ");
    md.append(ratio(run, "Gatehouse", "stdio", REFERENCE, "stdio"));
    if (run.find("Gatehouse", STDIO_AOT) != null) {
      md.append("; ").append(ratio(run, "Gatehouse", STDIO_AOT, REFERENCE, "stdio"));
    }
    if (run.find("DBHub", "stdio") != null) {
      md.append("; ").append(ratio(run, "Gatehouse", "stdio", "DBHub", "stdio"));
      md.append("; ")
          .append(ratio(run, "Gatehouse", "streamable HTTP", "DBHub", "streamable HTTP"));
    }
    md.append(
        ".\n\n**Targets** (issue #15: the median, all governance on, at most the peer's on the"
            + " same transport):\n");
    md.append("- over stdio, against the reference server: ")
        .append(target(run, "stdio", REFERENCE, "stdio"))
        .append('\n');
    if (run.find("Gatehouse", STDIO_AOT) != null) {
      md.append("- over stdio on the AOT cache, against the reference server: ")
          .append(target(run, STDIO_AOT, REFERENCE, "stdio"))
          .append('\n');
    }
    md.append("- over streamable HTTP, against DBHub over HTTP: ")
        .append(target(run, "streamable HTTP", "DBHub", "streamable HTTP"))
        .append("\n\n");
    md.append(McpSectionText.transports());
    md.append(McpSectionText.perCall());
    md.append(McpSectionText.trust(run, audit));
    for (String note : run.notes()) {
      md.append("- ").append(note).append('\n');
    }
    return md.toString();
  }

  static String ratio(McpRun run, String a, String aTransport, String b, String bTransport) {
    Latencies x = run.find(a, aTransport);
    Latencies y = run.find(b, bTransport);
    if (x == null || y == null) {
      return a + "/" + b + ": not measured";
    }
    return String.format(
        Locale.ROOT,
        "%s (%s) / %s (%s) = %.2f",
        a,
        aTransport,
        b,
        bTransport,
        (double) x.medianNanos() / y.medianNanos());
  }

  static String target(McpRun run, String transport, String peer, String peerTransport) {
    Latencies g = run.find("Gatehouse", transport);
    Latencies r = run.find(peer, peerTransport);
    if (g == null || r == null) {
      return "not measured";
    }
    return verdict(g.medianNanos(), r.medianNanos());
  }

  /** "met" or "missed", with the margin in ms and in percent of the reference's median. */
  static String verdict(long gatehouse, long reference) {
    long diff = reference - gatehouse;
    boolean met = diff >= 0; // "at most the peer's"
    String margin =
        String.format(
            Locale.ROOT,
            "%s ms vs %s ms, %s by %s ms (%.0f%% of the peer's median)",
            Latencies.ms(gatehouse),
            Latencies.ms(reference),
            diff >= 0 ? "below" : "above",
            Latencies.ms(Math.abs(diff)),
            100.0 * Math.abs(diff) / reference);
    return (met ? "**met**: " : "**missed**: ") + margin;
  }
}
