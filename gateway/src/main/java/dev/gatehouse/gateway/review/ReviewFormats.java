package dev.gatehouse.gateway.review;

import java.util.ArrayList;
import java.util.List;

/** An access review as Markdown, CSV or HTML (JSON is the record itself); summary first. */
public final class ReviewFormats {

  static final String[] HEADER = {
    "identity",
    "issuer",
    "first seen",
    "last seen",
    "statements",
    "classes",
    "tables read",
    "tables attempted (denied)",
    "rows read",
    "masked columns",
    "denials",
    "approvals requested",
    "granted",
    "denied",
    "approved for others",
    "denied for others"
  };

  private ReviewFormats() {}

  static List<String[]> rows(AccessReview r) {
    List<String[]> rows = new ArrayList<>();
    for (AccessReview.Row s : r.identities()) {
      var a = s.approvals();
      rows.add(
          new String[] {
            s.subject(),
            s.issuer(),
            s.firstSeen() == null ? "" : String.valueOf(s.firstSeen()),
            s.lastSeen() == null ? "" : String.valueOf(s.lastSeen()),
            String.valueOf(s.statements()),
            s.classes().toString().replaceAll("[{}]", ""),
            String.join(" ", s.tablesRead()),
            String.join(" ", s.tablesAttempted()),
            String.valueOf(s.rowsRead()),
            String.join(" ", s.maskedColumns()),
            String.valueOf(s.denials()),
            String.valueOf(a.requested()),
            String.valueOf(a.granted()),
            String.valueOf(a.denied()),
            String.valueOf(a.decidedGranted()),
            String.valueOf(a.decidedDenied())
          });
    }
    return rows;
  }

  /** One line per fact an auditor reads first. */
  static List<String> summary(AccessReview r) {
    long statements = r.identities().stream().mapToLong(AccessReview.Row::statements).sum();
    long denials = r.identities().stream().mapToLong(AccessReview.Row::denials).sum();
    long requested = r.identities().stream().mapToLong(x -> x.approvals().requested()).sum();
    long granted = r.identities().stream().mapToLong(x -> x.approvals().granted()).sum();
    long denied = r.identities().stream().mapToLong(x -> x.approvals().denied()).sum();
    return List.of(
        r.identities().size() + " identities active, " + r.idle().size() + " idle",
        statements + " statements, " + denials + " denied by policy",
        requested + " approvals requested: " + granted + " granted, " + denied + " denied",
        r.flags().size() + " flagged for review",
        r.unusedRules().size() + " rules granted nothing");
  }

  public static String markdown(AccessReview r) {
    StringBuilder b = new StringBuilder();
    b.append("# Access review ").append(r.from()).append(" to ").append(r.to()).append("\n\n");
    b.append("Policy revision `").append(r.policyRevision()).append("`\n\n## Summary\n\n");
    summary(r).forEach(line -> b.append("- ").append(line).append('\n'));
    b.append("\n## Flagged for review\n\n");
    if (r.flags().isEmpty()) {
      b.append("Nothing flagged.\n");
    }
    r.flags().forEach(f -> b.append("- ").append(f).append('\n'));
    b.append("\n## Activity\n\n| ").append(String.join(" | ", HEADER)).append(" |\n|");
    b.append(" --- |".repeat(HEADER.length)).append('\n');
    for (String[] row : rows(r)) {
      b.append("| ");
      for (String cell : row) {
        b.append(cell.replace("|", "\\|")).append(" | ");
      }
      b.setLength(b.length() - 1);
      b.append('\n');
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
    String empty = ",".repeat(HEADER.length);
    for (String flag : r.flags()) {
      b.append(empty).append(csvCell(flag)).append('\n');
    }
    return b.toString();
  }

  public static String html(AccessReview r) {
    return ReviewHtml.render(r);
  }

  static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
