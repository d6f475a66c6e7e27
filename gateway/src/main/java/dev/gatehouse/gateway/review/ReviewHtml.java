package dev.gatehouse.gateway.review;

/**
 * The review as one self-contained HTML page: inline CSS, no scripts or external assets, a summary
 * and the flags first, and print rules so the browser's "print to PDF" gives a clean report.
 */
final class ReviewHtml {

  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;\
      margin:1.5rem auto;max-width:1560px;padding:0 1rem}
      h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:1.8rem 0 .6rem;\
      border-bottom:2px solid #d8dee8;padding-bottom:.2rem}
      .meta{color:#5b6678;margin:0 0 1.2rem}code{background:#eef1f6;padding:0 .25rem;\
      border-radius:3px;font-size:.92em}
      .cards{display:flex;flex-wrap:wrap;gap:.6rem}.card{background:#f5f7fa;border:1px solid #d8dee8;\
      border-radius:6px;padding:.6rem .9rem;min-width:200px}
      ul.flags{list-style:none;padding:0}ul.flags li{border-left:4px solid #c2410c;\
      background:#fff7ed;margin:.3rem 0;padding:.4rem .7rem}
      p.none{color:#15803d}
      table{border-collapse:collapse;width:100%;font-size:12.5px}
      th,td{border:1px solid #d8dee8;padding:.3rem .45rem;text-align:left;vertical-align:top}
      th{background:#eef1f6}tr:nth-child(even) td{background:#fafbfc}
      td.num{text-align:right;font-variant-numeric:tabular-nums}td.warn{color:#b91c1c;font-weight:600}
      @media print{body{margin:0;max-width:none;font-size:11px}.card{break-inside:avoid}\
      tr{break-inside:avoid}h2{break-after:avoid}@page{size:A4 landscape;margin:12mm}}
      """;

  private ReviewHtml() {}

  static String render(AccessReview r) {
    StringBuilder b = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head>");
    b.append("<meta charset=\"utf-8\"><title>Access review ")
        .append(esc(r.from() + " to " + r.to()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>\n<h1>Access review</h1>\n<p class=\"meta\">")
        .append(esc(r.from() + " to " + r.to()))
        .append(" &middot; policy revision <code>")
        .append(esc(r.policyRevision()))
        .append("</code></p>\n<h2>Summary</h2>\n<div class=\"cards\">");
    for (String line : ReviewFormats.summary(r)) {
      b.append("<div class=\"card\">").append(esc(line)).append("</div>");
    }
    b.append("</div>\n<h2>Flagged for review</h2>\n");
    if (r.flags().isEmpty()) {
      b.append("<p class=\"none\">Nothing flagged.</p>\n");
    } else {
      b.append("<ul class=\"flags\">\n");
      for (String f : r.flags()) {
        b.append("<li>").append(code(esc(f))).append("</li>\n");
      }
      b.append("</ul>\n");
    }
    b.append("<h2>Activity per identity</h2>\n<table><thead><tr>");
    for (String h : ReviewFormats.HEADER) {
      b.append("<th>").append(esc(h)).append("</th>");
    }
    b.append("</tr></thead><tbody>\n");
    for (String[] row : ReviewFormats.rows(r)) {
      b.append("<tr>");
      for (int i = 0; i < row.length; i++) {
        boolean number = row[i].matches("\\d+");
        boolean warn = (i == 7 && !row[i].isEmpty()) || (i == 10 && !row[i].equals("0"));
        b.append("<td")
            .append(warn ? " class=\"warn\"" : number ? " class=\"num\"" : "")
            .append('>')
            .append(esc(row[i]))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody></table>\n</body></html>\n").toString();
  }

  /** `x` in a flag becomes {@code <code>x</code>}. */
  private static String code(String escaped) {
    return escaped.replaceAll("`([^`]*)`", "<code>$1</code>");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
