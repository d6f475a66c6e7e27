package dev.gatehouse.gateway.console;

import dev.gatehouse.engine.audit.StatementRecord;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Search results as CSV (one row per statement) or JSON (the records as the trail holds them). */
final class AuditExport {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private static final String HEADER =
      "id,at,instance,seq,issuer,subject,kind,channel,database,decision,rules,tables,"
          + "statement_kinds,risk_flags,approval_id,rows,masked_columns,mask_rules,detector_hits,"
          + "sqlstate,error,sql\n";

  private AuditExport() {}

  static String json(List<StatementRecord> records) {
    return JSON.writeValueAsString(records);
  }

  static String csv(List<StatementRecord> records) {
    StringBuilder b = new StringBuilder(HEADER);
    for (StatementRecord r : records) {
      StatementRecord.Outcome o = r.outcome();
      List<Object> cells =
          List.of(
              r.id(),
              r.at(),
              n(r.instanceId()),
              r.seq(),
              n(r.issuer()),
              n(r.subject()),
              n(r.principalKind()),
              n(r.channel()),
              n(r.database()),
              n(r.decision()),
              join(r.ruleIds()),
              join(r.tables()),
              join(r.statementKinds()),
              join(r.riskFlags()),
              n(r.approvalId()),
              o == null ? "" : o.rows(),
              o == null ? "" : join(o.maskedColumns()),
              o == null ? "" : join(o.maskRules()),
              o == null ? "" : join(o.detectorHits()),
              o == null ? "" : n(o.sqlState()),
              o == null ? "" : n(o.error()),
              n(r.sql()));
      for (int i = 0; i < cells.size(); i++) {
        b.append(i == 0 ? "" : ",").append(cell(String.valueOf(cells.get(i))));
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String n(String s) {
    return s == null ? "" : s;
  }

  private static String join(List<String> values) {
    return values == null ? "" : String.join(" ", values);
  }

  /**
   * Quotes as RFC 4180 asks; a cell that a spreadsheet would run as a formula gets a leading
   * apostrophe, since SQL text and error messages come from clients.
   */
  static String cell(String s) {
    String v = s;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
