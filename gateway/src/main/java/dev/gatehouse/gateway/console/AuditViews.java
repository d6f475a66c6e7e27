package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.ApprovalCards.time;
import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.engine.audit.ApprovalEvent;
import dev.gatehouse.engine.audit.AuditPage;
import dev.gatehouse.engine.audit.StatementRecord;
import dev.gatehouse.engine.audit.VerifyReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The audit explorer's HTML: the search form, the result table, one record, the chains. */
final class AuditViews {

  private AuditViews() {}

  static String form(Map<String, String> filters, boolean auditor) {
    StringBuilder b =
        new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/console/audit\">");
    if (!auditor) {
      b.append("<p class=\"muted\">You see your own records only.</p>");
    }
    for (String name : AuditPages.FILTERS) {
      if (!auditor && (name.equals("subject") || name.equals("issuer"))) {
        continue;
      }
      String id = "f-" + name;
      b.append("<div><label for=\"")
          .append(id)
          .append("\">")
          .append(label(name))
          .append("</label>");
      if (name.equals("decision")) {
        b.append("<select id=\"")
            .append(id)
            .append("\" name=\"decision\"><option value=\"\">any</option>");
        for (String d : List.of("allow", "deny", "require-approval")) {
          boolean sel = d.equalsIgnoreCase(filters.getOrDefault("decision", ""));
          b.append("<option")
              .append(sel ? " selected" : "")
              .append(">")
              .append(d)
              .append("</option>");
        }
        b.append("</select>");
      } else {
        b.append("<input type=\"text\" id=\"")
            .append(id)
            .append("\" name=\"")
            .append(name)
            .append("\" value=\"")
            .append(esc(filters.getOrDefault(name, "")))
            .append("\" placeholder=\"")
            .append(hint(name))
            .append("\">");
      }
      b.append("</div>");
    }
    return b.append("<div><button type=\"submit\">Search</button></div></form>").toString();
  }

  private static String label(String name) {
    return switch (name) {
      case "masked-column" -> "Masked column";
      case "kind" -> "Statement kind";
      case "text" -> "SQL text";
      case "rule" -> "Rule id";
      default -> name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    };
  }

  private static String hint(String name) {
    return switch (name) {
      case "since", "until" -> "30d, 12h, 2026-11-01";
      case "table" -> "app.customers";
      case "masked-column" -> "app.customers.email";
      case "kind" -> "SELECT, DDL";
      default -> "";
    };
  }

  static String results(AuditPage page, String query) {
    if (page.items().isEmpty()) {
      return "<p>No record matches.</p>";
    }
    StringBuilder b =
        new StringBuilder(
            "<table class=\"records\"><caption>Statements, newest first</caption><thead><tr>"
                + "<th scope=\"col\">When</th><th scope=\"col\">Who</th>"
                + "<th scope=\"col\">Decision</th><th scope=\"col\">Rules</th>"
                + "<th scope=\"col\">Tables</th><th scope=\"col\">Masked</th>"
                + "<th scope=\"col\">SQL</th></tr></thead><tbody>");
    for (StatementRecord r : page.items()) {
      String sql = r.sql() == null ? "" : r.sql();
      b.append("<tr><td><a href=\"/console/audit/records/")
          .append(esc(r.id()))
          .append("\">")
          .append(time(r.at()))
          .append("</a></td><td>")
          .append(esc(r.subject()))
          .append(" <span class=\"muted\">")
          .append(esc(lower(r.channel())))
          .append("</span></td><td class=\"d-")
          .append(esc(lower(r.decision())))
          .append("\">")
          .append(esc(lower(r.decision())))
          .append("</td><td>")
          .append(Html.list(r.ruleIds()))
          .append("</td><td>")
          .append(Html.list(r.tables()))
          .append("</td><td>")
          .append(r.outcome() == null ? "" : Html.list(r.outcome().maskedColumns()))
          .append("</td><td><code>")
          .append(esc(sql.length() > 120 ? sql.substring(0, 117) + "..." : sql))
          .append("</code></td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String detail(StatementRecord r, List<ApprovalEvent> steps) {
    StringBuilder b = new StringBuilder("<dl class=\"record\">");
    dt(
        b,
        "Record",
        "<code>"
            + esc(r.id())
            + "</code> · chain <code>"
            + esc(r.instanceId())
            + "</code> #"
            + r.seq());
    dt(b, "When", time(r.at()));
    dt(
        b,
        "Principal",
        esc(r.subject())
            + " <span class=\"muted\">("
            + esc(r.issuer())
            + ")</span>, "
            + esc(lower(r.principalKind())));
    dt(b, "Groups", Html.list(r.groups()));
    dt(
        b,
        "Channel",
        esc(
            String.join(
                " · ",
                java.util.stream.Stream.of(
                        lower(r.channel()), r.clientApplication(), r.clientAddress())
                    .filter(x -> x != null && !x.isBlank())
                    .toList())));
    dt(b, "Database", "<code>" + esc(r.database()) + "</code>");
    dt(
        b,
        "Decision",
        "<strong class=\"d-"
            + esc(lower(r.decision()))
            + "\">"
            + esc(lower(r.decision()))
            + "</strong>");
    dt(b, "Rules", Html.list(r.ruleIds()));
    dt(b, "Reasons", esc(r.explanation()));
    dt(b, "Statement kinds", Html.list(r.statementKinds()));
    dt(b, "Tables", Html.list(r.tables()));
    dt(b, "Risk flags", Html.list(r.riskFlags()));
    b.append("</dl><h2>SQL</h2><pre class=\"sql\"><code>")
        .append(SqlHighlighter.html(r.sql()))
        .append("</code></pre>");
    StatementRecord.Truncation cut = r.sqlTruncated();
    if (cut != null) {
      // The trail keeps the first characters of a huge text; a reader must not take it as whole.
      b.append("<p class=\"muted\">Truncated: the trail keeps the first ")
          .append(r.sql() == null ? 0 : r.sql().length())
          .append(" of ")
          .append(cut.length())
          .append(" characters")
          .append(cut.sha256() == null ? "" : "; SHA-256 of the whole text " + esc(cut.sha256()))
          .append(".</p>");
    }
    if (r.params() != null && !r.params().isEmpty()) {
      b.append("<p>Parameters (")
          .append(esc(lower(r.paramMode())))
          .append("): ")
          .append(Html.list(r.params()))
          .append("</p>");
    }
    StatementRecord.ParamsTruncation paramsCut = r.paramsTruncated();
    if (paramsCut != null) {
      // As for the text: a cut value must not be taken for the value that was bound.
      b.append("<p class=\"muted\">Parameters truncated:");
      for (StatementRecord.ParamCut c : paramsCut.cut()) {
        b.append(" $")
            .append(c.index() + 1)
            .append(" kept in part, ")
            .append(c.length())
            .append(" characters")
            .append(c.sha256() == null ? "" : ", SHA-256 " + esc(c.sha256()))
            .append(";");
      }
      b.append(" ").append(paramsCut.omitted()).append(" more not kept.</p>");
    }
    b.append("<h2>Outcome</h2>");
    StatementRecord.Outcome o = r.outcome();
    if (o == null) {
      b.append("<p>No outcome recorded (the statement did not run, or has not finished).</p>");
    } else {
      b.append("<dl class=\"record\">");
      dt(b, "Rows", String.valueOf(o.rows()));
      dt(b, "Duration", o.durationMicros() == null ? "" : esc(o.durationMicros() / 1000.0 + " ms"));
      dt(b, "Masked columns", Html.list(o.maskedColumns()));
      dt(b, "Mask rules", Html.list(o.maskRules()));
      dt(b, "Detector hits", Html.list(o.detectorHits()));
      dt(b, "SQLSTATE", esc(o.sqlState()));
      dt(b, "Error", esc(o.error()));
      b.append("</dl>");
      if (o.capturedRows() != null && !o.capturedRows().isEmpty()) {
        b.append(
            "<table><caption>Captured rows, as stored (masked as the client saw them)</caption><tbody>");
        for (List<String> row : o.capturedRows()) {
          b.append("<tr>");
          for (String cell : row) {
            b.append("<td>").append(esc(cell)).append("</td>");
          }
          b.append("</tr>");
        }
        b.append("</tbody></table>");
      }
    }
    b.append("<h2>Approval chain</h2>");
    if (r.approvalId() == null) {
      b.append("<p>No approval was involved.</p>");
    } else {
      b.append("<p>Request <code>").append(esc(r.approvalId())).append("</code></p>");
      b.append(ApprovalCards.steps(steps));
    }
    return b.toString();
  }

  static String chains(VerifyReport report) {
    StringBuilder b = new StringBuilder("<p class=\"").append(report.ok() ? "notice" : "problem");
    b.append("\" role=\"status\">")
        .append(report.ok() ? "Audit trail intact: " : "Audit trail TAMPERED: ");
    b.append(report.records()).append(" records verified.</p>");
    b.append("<table><caption>One chain per gateway instance</caption><thead><tr>")
        .append("<th scope=\"col\">Instance</th><th scope=\"col\">Records</th>")
        .append(
            "<th scope=\"col\">Last sequence</th><th scope=\"col\">Status</th></tr></thead><tbody>");
    for (VerifyReport.Chain c : report.chains()) {
      VerifyReport.Problem p = c.firstProblem();
      b.append("<tr><td><code>")
          .append(esc(c.instanceId()))
          .append("</code></td><td>")
          .append(c.records())
          .append("</td><td>")
          .append(c.lastSeq())
          .append("</td><td>")
          .append(
              p == null
                  ? "intact"
                  : "<strong>"
                      + esc(lower(p.type().name()))
                      + "</strong> at record "
                      + p.seq()
                      + ": "
                      + esc(p.message()))
          .append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static void dt(StringBuilder b, String term, String html) {
    b.append("<dt>").append(esc(term)).append("</dt><dd>").append(html).append("</dd>");
  }
}
