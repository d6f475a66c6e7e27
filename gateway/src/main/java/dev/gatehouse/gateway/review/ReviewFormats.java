package dev.gatehouse.gateway.review;

import dev.gatehouse.engine.audit.IdentitySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An access review as Markdown, CSV or HTML (JSON is the record itself). */
public final class ReviewFormats {

  private static final String[] HEADER = {
    "identity",
    "issuer",
    "first seen",
    "last seen",
    "statements",
    "classes",
    "tables",
    "rows read",
    "masked columns",
    "denials",
    "approvals requested",
    "approvals given"
  };

  private ReviewFormats() {}

  private static List<String[]> rows(AccessReview r) {
    List<String[]> rows = new ArrayList<>();
    for (IdentitySummary s : r.identities()) {
      Map<String, Long> classes = new TreeMap<>(s.statementClasses());
      rows.add(
          new String[] {
            s.subject(),
            s.issuer(),
            String.valueOf(s.firstSeen()),
            String.valueOf(s.lastSeen()),
            String.valueOf(s.statements()),
            classes.toString().replaceAll("[{}]", ""),
            String.join(" ", s.tablesTouched()),
            String.valueOf(s.rowsRead()),
            String.join(" ", s.maskedColumns()),
            String.valueOf(s.denials()),
            String.valueOf(s.approvalsRequested()),
            String.valueOf(s.approvalsGiven())
          });
    }
    return rows;
  }

  public static String markdown(AccessReview r) {
    StringBuilder b = new StringBuilder();
    b.append("# Access review ").append(r.from()).append(" to ").append(r.to()).append("\n\n");
    b.append("Policy revision `").append(r.policyRevision()).append("`\n\n## Activity\n\n");
    b.append("| ").append(String.join(" | ", HEADER)).append(" |\n|");
    b.append(" --- |".repeat(HEADER.length)).append('\n');
    for (String[] row : rows(r)) {
      b.append("| ");
      for (String cell : row) {
        b.append(cell.replace("|", "\\|")).append(" | ");
      }
      b.setLength(b.length() - 1);
      b.append('\n');
    }
    b.append("\n## Flagged for review\n\n");
    if (r.idle().isEmpty() && r.unusedRules().isEmpty()) {
      b.append("Nothing flagged.\n");
    }
    for (AccessReview.Idle i : r.idle()) {
      b.append("- identity `")
          .append(i.subject())
          .append("` (")
          .append(i.issuer())
          .append(") has no activity in the period; last seen ")
          .append(i.lastSeen())
          .append('\n');
    }
    for (String rule : r.unusedRules()) {
      b.append("- rule `").append(rule).append("` granted nothing in the period\n");
    }
    return b.toString();
  }

  public static String csv(AccessReview r) {
    StringBuilder b = new StringBuilder(String.join(",", HEADER)).append(",flag\n");
    for (String[] row : rows(r)) {
      List<String> cells = new ArrayList<>();
      for (String c : row) {
        cells.add(csvCell(c));
      }
      b.append(String.join(",", cells)).append(",\n");
    }
    for (AccessReview.Idle i : r.idle()) {
      b.append(csvCell(i.subject()))
          .append(',')
          .append(csvCell(i.issuer()))
          .append(",,")
          .append(i.lastSeen())
          .append(",0,,,0,,0,0,0,no activity in the period\n");
    }
    for (String rule : r.unusedRules()) {
      b.append(",,,,,,,,,,,,").append(csvCell("rule " + rule + " granted nothing")).append('\n');
    }
    return b.toString();
  }

  public static String html(AccessReview r) {
    StringBuilder b = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\">");
    b.append("<title>Access review</title></head><body>\n<h1>Access review ")
        .append(esc(r.from() + " to " + r.to()))
        .append("</h1>\n<p>Policy revision <code>")
        .append(esc(r.policyRevision()))
        .append("</code></p>\n<table border=\"1\"><tr>");
    for (String h : HEADER) {
      b.append("<th>").append(esc(h)).append("</th>");
    }
    b.append("</tr>\n");
    for (String[] row : rows(r)) {
      b.append("<tr>");
      for (String c : row) {
        b.append("<td>").append(esc(c)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n<h2>Flagged for review</h2>\n<ul>\n");
    for (AccessReview.Idle i : r.idle()) {
      b.append("<li>identity <code>")
          .append(esc(i.subject()))
          .append("</code> has no activity in the period; last seen ")
          .append(esc(String.valueOf(i.lastSeen())))
          .append("</li>\n");
    }
    for (String rule : r.unusedRules()) {
      b.append("<li>rule <code>").append(esc(rule)).append("</code> granted nothing</li>\n");
    }
    return b.append("</ul>\n</body></html>\n").toString();
  }

  private static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
