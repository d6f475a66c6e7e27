package dev.gatehouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Assembles {@code bench/results/latest.md} and {@code latest.json} from the parts that ran: the
 * machine first, then each part's section in a fixed order. A part that did not run says so.
 */
public final class Report {

  /** The parts in report order, with the script that runs each alone. */
  static final Map<String, String> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("wire", "bench/parts/wire.sh");
    PARTS.put("write", "bench/parts/write.sh");
    PARTS.put("large", "bench/parts/large.sh");
    PARTS.put("mcp", "bench/parts/mcp.sh");
    PARTS.put("engine", "bench/parts/engine.sh");
    PARTS.put("approval", "bench/parts/approval.sh");
  }

  private Report() {}

  public static void main(String[] args) throws Exception {
    Path parts = PartResult.directory();
    Path results = parts.getParent();
    Map<String, Object> machine = Machine.describe();
    StringBuilder md = new StringBuilder();
    md.append("# Gatehouse benchmarks\n\n");
    md.append("Written by `bench/run-all.sh` at ").append(Instant.now()).append(".\n\n");
    md.append("| machine | |\n|---|---|\n");
    machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append("\nGatehouse's audit durability: `audit.durability: ")
        .append(BenchStack.auditDurability())
        .append("` (set by GATEHOUSE_BENCH_AUDIT_DURABILITY; ADR 0004).\n");
    md.append("\nGatehouse's audit trail: `audit.synchronousCommit: ")
        .append(BenchStack.auditSynchronousCommit())
        .append(
            BenchStack.auditSynchronousCommit()
                ? "` (the default: every decision record waits for the control database's WAL"
                    + " flush).\n"
                : "` (records count once the control database holds them in memory; set by"
                    + " GATEHOUSE_BENCH_AUDIT_SYNCHRONOUS_COMMIT=false).\n");
    md.append(
        "\nEvery ratio compares figures measured in the same run on this machine; other sessions"
            + " may share it, so each part gives the load average around its numbers.\n");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("written", Instant.now().toString());
    json.put("machine", machine);
    json.put("auditSynchronousCommit", BenchStack.auditSynchronousCommit());
    json.put("auditDurability", BenchStack.auditDurability());
    Map<String, Object> figures = new LinkedHashMap<>();
    for (Map.Entry<String, String> part : PARTS.entrySet()) {
      Path partMd = parts.resolve(part.getKey() + ".md");
      Path partJson = parts.resolve(part.getKey() + ".json");
      md.append("\n");
      if (Files.isRegularFile(partMd) && Files.isRegularFile(partJson)) {
        md.append(Files.readString(partMd).strip()).append("\n");
        figures.put(part.getKey(), PartResult.JSON.readValue(partJson.toFile(), JsonNode.class));
      } else {
        md.append("## ")
            .append(part.getKey())
            .append("\n\nNot run: `")
            .append(part.getValue())
            .append("` writes this part.\n");
        figures.put(part.getKey(), null);
      }
    }
    json.put("parts", figures);
    Files.writeString(results.resolve("latest.md"), md);
    Files.writeString(results.resolve("latest.json"), PartResult.JSON.writeValueAsString(json));
    System.out.println("wrote " + results.resolve("latest.md") + " and latest.json");
  }
}
