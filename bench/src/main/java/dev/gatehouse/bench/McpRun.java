package dev.gatehouse.bench;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements of the MCP part: warm-up, then the timed calls in interleaved blocks (every
 * target takes its turn in each block, in rotating order) so that a change in the machine's load
 * during the run falls on all targets alike rather than on whichever ran last.
 */
final class McpRun {

  /** One target's timed calls. */
  record Measured(McpTarget target, Latencies latencies) {}

  private final int calls;
  private final int warmup;
  private final int blocks;
  private final List<Measured> measured = new ArrayList<>();
  private final Map<String, Boolean> emailInClear = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private Latencies commitFloor;
  private String durability = "unknown";
  private Map<String, Map<String, Object>> inside = Map.of();

  McpRun(int calls, int warmup, int blocks) {
    this.calls = calls;
    this.warmup = warmup;
    this.blocks = blocks;
  }

  void note(String note) {
    McpBench.progress(note);
    notes.add(note);
  }

  void measure(List<McpTarget> targets) {
    for (McpTarget t : targets) {
      McpBench.progress("warming up " + label(t) + " with " + warmup + " calls");
      for (int i = 0; i < warmup; i++) {
        call(t, i);
      }
    }
    long[][] samples = new long[targets.size()][calls];
    int done = 0;
    for (int b = 0; b < blocks; b++) {
      int n = b == blocks - 1 ? calls - done : calls / blocks;
      for (int k = 0; k < targets.size(); k++) {
        int index = (k + b) % targets.size();
        McpTarget t = targets.get(index);
        for (int i = 0; i < n; i++) {
          samples[index][done + i] = call(t, done + i);
        }
      }
      done += n;
      McpBench.progress("block " + (b + 1) + "/" + blocks + ": " + done + " calls per target");
    }
    for (int k = 0; k < targets.size(); k++) {
      measured.add(new Measured(targets.get(k), Latencies.of(samples[k])));
    }
  }

  /** One checked call; returns its duration in nanoseconds (the check is not timed). */
  private static long call(McpTarget t, int n) {
    long start = System.nanoTime();
    McpSchema.CallToolResult r;
    try {
      r = t.query(McpBench.SQL);
    } catch (RuntimeException e) {
      throw new IllegalStateException(label(t) + ", call " + n + " failed: " + e.getMessage(), e);
    }
    long took = System.nanoTime() - start;
    String wrong = t.check().apply(r);
    if (wrong != null) {
      throw new IllegalStateException(label(t) + ", call " + n + ": " + wrong);
    }
    return took;
  }

  /** Whether {@code target} returns the masked column in clear; Gatehouse must not. */
  void probeMasking(McpTarget t) {
    McpSchema.CallToolResult r = t.query(McpBench.MASK_PROBE);
    String text = McpRowCheck.text(r) + " " + r.structuredContent();
    if (Boolean.TRUE.equals(r.isError()) || !text.contains("example.com")) {
      throw new IllegalStateException(label(t) + " did not answer the masking probe: " + text);
    }
    boolean clear = text.contains(McpBench.EMAIL);
    if (t.governed() && clear) {
      throw new IllegalStateException(label(t) + " returned `" + McpBench.EMAIL + "` unmasked");
    }
    emailInClear.put(label(t), clear);
  }

  /** Every timed and warm-up call must have its allowed statement record in the trail. */
  void checkAudit(Map<String, Map<String, Long>> counts) {
    long expected = (long) calls + warmup;
    counts.forEach(
        (instance, c) -> {
          if (c.get("statementsAllowed") != expected) {
            throw new IllegalStateException(
                "instance "
                    + instance
                    + " recorded "
                    + c.get("statementsAllowed")
                    + " statements of the measured SELECT, expected "
                    + expected);
          }
        });
  }

  /** The cost of one durable commit on the same server, measured in the same run. */
  void floor(Latencies commit) {
    this.commitFloor = commit;
  }

  /** Means of the HTTP gateway's own timers over the run. */
  void inside(Map<String, Map<String, Object>> timers) {
    this.inside = timers;
  }

  Map<String, Map<String, Object>> inside() {
    return inside;
  }

  /** The server's durability settings as read back in this run. */
  void durability(String settings) {
    this.durability = settings;
  }

  String durability() {
    return durability;
  }

  Latencies commitFloor() {
    return commitFloor;
  }

  static String label(McpTarget t) {
    return t.name() + " (" + t.transport() + ")";
  }

  int calls() {
    return calls;
  }

  int warmup() {
    return warmup;
  }

  int blocks() {
    return blocks;
  }

  List<Measured> measured() {
    return measured;
  }

  Map<String, Boolean> emailInClear() {
    return emailInClear;
  }

  List<String> notes() {
    return notes;
  }

  /** The median of {@code name} over {@code transport}, or null when it was not measured. */
  Latencies find(String name, String transport) {
    return measured.stream()
        .filter(m -> m.target().name().equals(name) && m.target().transport().equals(transport))
        .map(Measured::latencies)
        .findFirst()
        .orElse(null);
  }

  Map<String, Object> figures() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("sql", McpBench.SQL);
    f.put("calls", calls);
    f.put("warmupCalls", warmup);
    f.put("blocks", blocks);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Measured m : measured) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("server", m.target().name());
      row.put("transport", m.target().transport());
      row.put("governed", m.target().governed());
      row.put("latency", m.latencies().toJson());
      row.put("emailInClear", emailInClear.get(label(m.target())));
      rows.add(row);
    }
    f.put("servers", rows);
    f.put("durability", durability);
    f.put("insideGatehouseHttp", inside);
    f.put("durableCommit", commitFloor == null ? null : commitFloor.toJson());
    f.put("notes", notes);
    return f;
  }
}
