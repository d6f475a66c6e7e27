package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.gateway.review.AccessReview;
import java.util.TreeMap;

/** The review's facts as tables: activity per identity, stale identities, unused grants. */
final class ReviewTable {

  private ReviewTable() {}

  static String table(AccessReview r) {
    StringBuilder b =
        new StringBuilder(
            "<h2>Activity</h2><table class=\"review\"><thead><tr>"
                + "<th scope=\"col\">Identity</th><th scope=\"col\">First seen</th>"
                + "<th scope=\"col\">Last seen</th><th scope=\"col\">Statements</th>"
                + "<th scope=\"col\">Classes</th><th scope=\"col\">Tables read</th>"
                + "<th scope=\"col\">Tables attempted (denied)</th>"
                + "<th scope=\"col\">Rows read</th><th scope=\"col\">Masked columns</th>"
                + "<th scope=\"col\">Denials</th><th scope=\"col\">Approvals requested</th>"
                + "<th scope=\"col\">Requests denied</th>"
                + "<th scope=\"col\">Approvals given</th>"
                + "<th scope=\"col\">Approvals refused</th></tr></thead><tbody>");
    for (AccessReview.Row s : r.identities()) {
      b.append("<tr><th scope=\"row\">")
          .append(esc(s.subject()))
          .append("</th><td>")
          .append(ApprovalCards.time(s.firstSeen()))
          .append("</td><td>")
          .append(ApprovalCards.time(s.lastSeen()))
          .append("</td><td>")
          .append(s.statements())
          .append("</td><td>")
          .append(esc(new TreeMap<>(s.classes()).toString().replaceAll("[{}]", "")))
          .append("</td><td>")
          .append(Html.list(s.tablesRead()))
          .append("</td><td>")
          .append(Html.list(s.tablesAttempted()))
          .append("</td><td>")
          .append(s.rowsRead())
          .append("</td><td>")
          .append(Html.list(s.maskedColumns()))
          .append("</td><td>")
          .append(s.denials())
          .append("</td><td>")
          .append(s.approvalsRequested())
          .append("</td><td>")
          .append(s.approvalsDenied())
          .append("</td><td>")
          .append(s.approvalsGiven())
          .append("</td><td>")
          .append(s.approvalsRefused())
          .append("</td></tr>");
    }
    b.append("</tbody></table><h2>Stale identities</h2>");
    if (r.idle().isEmpty()) {
      b.append("<p>Every identity seen before was active in the period.</p>");
    } else {
      b.append("<ul>");
      for (AccessReview.Idle i : r.idle()) {
        b.append("<li><code>")
            .append(esc(i.subject()))
            .append("</code> (")
            .append(esc(i.issuer()))
            .append(") has no activity in the period; last seen ")
            .append(ApprovalCards.time(i.lastSeen()))
            .append("</li>");
      }
      b.append("</ul>");
    }
    b.append("<h2>Unused grants</h2>");
    if (r.unusedRules().isEmpty()) {
      b.append("<p>Every allow and approval rule granted something in the period.</p>");
    } else {
      b.append("<ul>");
      for (String rule : r.unusedRules()) {
        b.append("<li>rule <code>").append(esc(rule)).append("</code> granted nothing</li>");
      }
      b.append("</ul>");
    }
    return b.toString();
  }
}
