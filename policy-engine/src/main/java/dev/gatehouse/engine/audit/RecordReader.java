package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditSearch.strings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Reads stored record bodies back into typed search results. */
final class RecordReader {

  private RecordReader() {}

  static StatementRecord statement(
      UUID id, Instant at, String instanceId, long seq, String body, String outcomeBody) {
    JsonNode b = RecordBodies.JSON.readTree(body);
    JsonNode p = b.path("principal");
    return new StatementRecord(
        id,
        at,
        instanceId,
        seq,
        text(p, "issuer"),
        text(p, "subject"),
        text(p, "kind"),
        strings(p.get("groups")),
        text(b, "channel"),
        text(b, "clientApplication"),
        text(b, "clientAddress"),
        text(b, "database"),
        text(b, "sql"),
        b.path("sqlTruncated").asBoolean(false)
            ? new StatementRecord.Truncation(b.path("sqlLength").asLong(), text(b, "sqlSha256"))
            : null,
        text(b.path("params"), "mode"),
        strings(b.path("params").get("values")),
        paramsTruncation(b.path("params")),
        text(b, "effect"),
        strings(b.get("ruleIds")),
        text(b, "explanation"),
        text(b, "approvalId"),
        strings(b.get("statementKinds")),
        strings(b.get("tables")),
        strings(b.get("riskFlags")),
        outcomeBody == null ? null : outcome(RecordBodies.JSON.readTree(outcomeBody)));
  }

  private static StatementRecord.Outcome outcome(JsonNode o) {
    List<String> maskRules = new ArrayList<>();
    o.path("masks").forEach(m -> maskRules.add(text(m, "ruleId")));
    List<List<String>> captured = new ArrayList<>();
    o.path("capturedRows").forEach(row -> captured.add(strings(row)));
    JsonNode duration = o.get("durationMicros");
    return new StatementRecord.Outcome(
        o.path("rows").asLong(),
        duration == null || duration.isNull() ? null : duration.asLong(),
        strings(o.get("maskedColumns")),
        maskRules,
        strings(o.get("detectorHits")),
        text(o, "sqlState"),
        text(o, "error"),
        captured);
  }

  private static StatementRecord.ParamsTruncation paramsTruncation(JsonNode p) {
    if (!p.path("truncated").asBoolean(false)) {
      return null;
    }
    List<StatementRecord.ParamCut> cuts = new ArrayList<>();
    p.path("cut")
        .forEach(
            c ->
                cuts.add(
                    new StatementRecord.ParamCut(
                        c.path("index").asInt(), c.path("length").asLong(), text(c, "sha256"))));
    return new StatementRecord.ParamsTruncation(List.copyOf(cuts), p.path("omitted").asInt());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
