package dev.gatehouse.gateway.cli;

import dev.gatehouse.gateway.text.VisibleText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with aligned columns, and CSV quoting. */
final class Tables {

  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  Tables(String... header) {
    this.header = header;
  }

  void row(String... cells) {
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
      for (String[] r : rows) {
        widths[i] = Math.max(widths[i], cell(r, i).length());
      }
    }
    line(out, header, widths);
    for (String[] r : rows) {
      line(out, r, widths);
    }
  }

  private static void line(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String c = cell(cells, i);
      b.append(c);
      if (i < widths.length - 1) {
        b.append(" ".repeat(widths[i] - c.length() + 2));
      }
    }
    out.println(b.toString().stripTrailing());
  }

  private static String cell(String[] r, int i) {
    return i < r.length && r[i] != null ? visible(r[i]) : "";
  }

  /** {@code s} on one line, shown and never acted on by the terminal ({@link VisibleText}). */
  static String visible(String s) {
    return s == null ? "null" : VisibleText.line(s);
  }

  /** {@code s} with its line breaks kept, each followed by {@code indent} ({@link VisibleText}). */
  static String visible(String s, String indent) {
    return s == null ? "null" : VisibleText.of(s, "\n" + indent);
  }

  static String shorten(String s, int max) {
    if (s == null) {
      return "";
    }
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
  }

  static String csv(String s) {
    if (s == null) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
