package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.engine.admission.RowBound;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.audit.ApprovalEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One approval request as an approver needs to judge it, and the history table. */
final class ApprovalCards {

  private ApprovalCards() {}

  static String card(ApprovalRequest r, String paramMode, Viewer v, boolean forms) {
    String id = r.id().toString();
    StringBuilder b = new StringBuilder("<article class=\"request\" aria-labelledby=\"r-");
    b.append(esc(id)).append("\"><h3 id=\"r-").append(esc(id)).append("\">");
    b.append(esc(r.requesterSubject())).append(" on <code>").append(esc(r.database()));
    b.append("</code> <small class=\"muted\">").append(esc(id)).append("</small></h3><dl>");
    dt(
        b,
        "Requester",
        esc(r.requesterSubject())
            + " <span class=\"muted\">("
            + esc(r.requesterIssuer())
            + ")</span>");
    Map<String, String> claims = new TreeMap<>(r.requesterClaims());
    String kind = claims.remove("kind");
    dt(b, "Principal kind", esc(kind == null ? "unknown" : kind.toLowerCase(Locale.ROOT)));
    StringBuilder c = new StringBuilder();
    claims.forEach(
        (k, val) ->
            c.append("<code>").append(esc(k)).append("</code> = ").append(esc(val)).append("<br>"));
    dt(b, "Claims", c.isEmpty() ? "<span class=\"muted\">none</span>" : c.toString());
    dt(b, "Rules", Html.list(r.ruleIds()));
    dt(b, "Risk", esc(r.reasons()));
    dt(b, "Blast radius", blastRadius(r));
    dt(b, "Requested", time(r.createdAt()));
    dt(
        b,
        "Expires",
        time(r.expiresAt())
            + " <span class=\"countdown\" data-expires=\""
            + esc(r.expiresAt())
            + "\"></span>");
    b.append("</dl><pre class=\"sql\" aria-label=\"SQL\"><code>")
        .append(SqlHighlighter.html(r.sql()))
        .append("</code></pre>");
    if (!r.params().isEmpty()) {
      b.append("<p>Parameters (").append(esc(paramMode)).append("):</p><ol class=\"params\">");
      for (String p : r.params()) {
        b.append("<li><code>").append(esc(p)).append("</code></li>");
      }
      b.append("</ol>");
      if (dev.gatehouse.engine.approval.ApprovalParams.hashed(r.params())) {
        b.append("<p class=\"note\">Parameters ")
            .append(esc(dev.gatehouse.engine.approval.ApprovalParams.NOTE))
            .append(".</p>");
      }
    }
    if (forms) {
      String base = "/console/approvals/" + esc(id);
      b.append("<div class=\"decide\"><form method=\"post\" action=\"")
          .append(base)
          .append("/approve\">")
          .append(Html.csrf(v))
          .append("<button type=\"submit\" class=\"approve\">Approve</button></form>")
          .append("<form method=\"post\" action=\"")
          .append(base)
          .append("/deny\">")
          .append(Html.csrf(v))
          .append("<label for=\"reason-")
          .append(esc(id))
          .append("\">Reason for denying</label><input type=\"text\" id=\"reason-")
          .append(esc(id))
          .append("\" name=\"reason\" required minlength=\"3\" maxlength=\"500\">")
          .append("<button type=\"submit\" class=\"deny\">Deny</button></form></div>");
    } else {
      b.append("<p>State: <strong>").append(esc(r.state())).append("</strong></p>");
    }
    return b.append("</article>").toString();
  }

  /** The approval history: newest first, under its own heading. */
  static String history(List<ApprovalEvent> events) {
    return "<section aria-labelledby=\"hist-h\"><h2 id=\"hist-h\">History</h2>"
        + "<p class=\"muted\">Who decided what, when: the approval steps of the audit trail,"
        + " newest first.</p>"
        + steps(events)
        + "</section>";
  }

  /** Approval steps as a table, in the order given. */
  static String steps(List<ApprovalEvent> events) {
    StringBuilder b = new StringBuilder();
    if (events.isEmpty()) {
      return "<p>No approval steps yet.</p>";
    }
    b.append("<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Request</th>")
        .append("<th scope=\"col\">Step</th><th scope=\"col\">By</th>")
        .append("<th scope=\"col\">Requester</th><th scope=\"col\">Database</th>")
        .append("<th scope=\"col\">Detail</th></tr></thead><tbody>");
    for (ApprovalEvent e : events) {
      b.append("<tr><td>")
          .append(time(e.at()))
          .append("</td><td><code>")
          .append(esc(e.approvalId().toString().substring(0, 8)))
          .append("</code></td><td class=\"step-")
          .append(esc(e.step().name().toLowerCase(Locale.ROOT)))
          .append("\">")
          .append(esc(e.step().name().toLowerCase(Locale.ROOT)))
          .append("</td><td>")
          .append(
              e.actorSubject() == null
                  ? "<span class=\"muted\">gateway</span>"
                  : esc(e.actorSubject()))
          .append("</td><td>")
          .append(esc(e.requesterSubject()))
          .append("</td><td>")
          .append(esc(e.database()))
          .append("</td><td>")
          .append(esc(e.detail()))
          .append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String time(Object instant) {
    return instant == null
        ? ""
        : "<time datetime=\""
            + esc(instant)
            + "\">"
            + esc(String.valueOf(instant).replace('T', ' '))
            + "</time>";
  }

  private static void dt(StringBuilder b, String term, String html) {
    b.append("<dt>").append(esc(term)).append("</dt><dd>").append(html).append("</dd>");
  }

  /**
   * The counted rows of a write held by its grant's {@code maxRowsAffected} (the gateway ran it,
   * counted and rolled it back); other holds are decided by rule, with no count.
   */
  static String blastRadius(ApprovalRequest r) {
    String reasons = r.reasons() == null ? "" : r.reasons();
    boolean rowBound = r.ruleIds().contains(RowBound.RULE);
    if (rowBound && RowBound.shownCount(reasons) >= 0) {
      // The count the approved run is bound by, read as RowBound reads it: from the start.
      int end = reasons.indexOf(';');
      return "<strong>" + esc(reasons.substring(0, end < 0 ? reasons.length() : end)) + "</strong>";
    }
    if (rowBound) {
      // Red-team round 38: an uncountable write was said to be "held by rule, not by the rows".
      return "<strong>not counted: its rows could not be counted before it ran; approved, the"
          + " whole message runs once without the row bound</strong>";
    }
    return "<span class=\"muted\">not counted: held by rule, not by the rows it touches;"
        + " approved, it runs once without a row bound</span>";
  }
}
