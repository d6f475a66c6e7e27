package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import java.util.List;
import java.util.Map;

/**
 * Charts as inline SVG drawn on the server: no script, no external library, printable. Colours are
 * presentation attributes (a strict CSP blocks inline styles) and each chart has a title, a
 * description and a legend in text.
 */
final class Charts {

  static final String[] PALETTE = {
    "#1f5fbf", "#b3261e", "#1e7d32", "#8a4b08", "#6a1b9a", "#00695c", "#37474f", "#ad1457"
  };

  private static final int W = 640;
  private static final int BARS_W = 460;

  private Charts() {}

  /** One line per series over {@code labels} (e.g. statements per identity per day). */
  static String lines(String id, String title, List<String> labels, Map<String, long[]> series) {
    int h = 240;
    int left = 48;
    int right = 16;
    int top = 16;
    int bottom = 40;
    long max = 1;
    for (long[] values : series.values()) {
      for (long x : values) {
        max = Math.max(max, x);
      }
    }
    StringBuilder b = open(id, title, "a line per identity: statements per period", W, h);
    axis(b, left, top, W - right, h - bottom, max);
    int n = Math.max(1, labels.size() - 1);
    double step = (double) (W - left - right) / n;
    for (int i = 0; i < labels.size(); i++) {
      if (labels.size() <= 8 || i % Math.ceil(labels.size() / 8.0) == 0) {
        b.append("<text x=\"")
            .append(f(left + i * step))
            .append("\" y=\"")
            .append(h - bottom + 16)
            .append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">")
            .append(esc(labels.get(i)))
            .append("</text>");
      }
    }
    int c = 0;
    for (Map.Entry<String, long[]> e : series.entrySet()) {
      String colour = PALETTE[c++ % PALETTE.length];
      StringBuilder points = new StringBuilder();
      long[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        double x = left + i * step;
        double y = (h - bottom) - (double) v[i] / max * (h - bottom - top);
        points.append(points.isEmpty() ? "" : " ").append(f(x)).append(',').append(f(y));
        b.append("<circle cx=\"")
            .append(f(x))
            .append("\" cy=\"")
            .append(f(y))
            .append("\" r=\"3\" fill=\"")
            .append(colour)
            .append("\"><title>")
            .append(esc(e.getKey() + " " + labels.get(i) + ": " + v[i]))
            .append("</title></circle>");
      }
      b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
          .append(colour)
          .append("\" points=\"")
          .append(points)
          .append("\"/>");
    }
    b.append("</svg>");
    return b.append(legend(series.keySet().stream().toList())).append("</figure>").toString();
  }

  /** Horizontal bars, one group per row and one bar per series. */
  static String bars(String id, String title, List<String> seriesNames, Map<String, long[]> rows) {
    int rowH = 14 * seriesNames.size() + 10;
    int h = Math.max(60, rows.size() * rowH + 30);
    int left = 130;
    long max = 1;
    for (long[] values : rows.values()) {
      for (long x : values) {
        max = Math.max(max, x);
      }
    }
    StringBuilder b = open(id, title, title + ", one group of bars per identity", BARS_W, h);
    int y = 10;
    for (Map.Entry<String, long[]> e : rows.entrySet()) {
      b.append("<text x=\"")
          .append(left - 8)
          .append("\" y=\"")
          .append(y + 12)
          .append("\" font-size=\"12\" text-anchor=\"end\" fill=\"#222\">")
          .append(esc(e.getKey()))
          .append("</text>");
      long[] v = e.getValue();
      for (int s = 0; s < v.length; s++) {
        double width = (double) v[s] / max * (BARS_W - left - 40);
        b.append("<rect x=\"")
            .append(left)
            .append("\" y=\"")
            .append(y + s * 14)
            .append("\" height=\"12\" width=\"")
            .append(f(Math.max(width, v[s] > 0 ? 2 : 0)))
            .append("\" fill=\"")
            .append(PALETTE[s % PALETTE.length])
            .append("\"><title>")
            .append(esc(e.getKey() + ", " + seriesNames.get(s) + ": " + v[s]))
            .append("</title></rect><text x=\"")
            .append(f(left + width + 4))
            .append("\" y=\"")
            .append(y + s * 14 + 10)
            .append("\" font-size=\"11\" fill=\"#222\">")
            .append(v[s])
            .append("</text>");
      }
      y += rowH;
    }
    b.append("</svg>");
    if (rows.isEmpty()) {
      b.append("<p>No activity in the period.</p>");
    }
    return b.append(seriesNames.size() > 1 ? legend(seriesNames) : "")
        .append("</figure>")
        .toString();
  }

  private static StringBuilder open(String id, String title, String desc, int w, int h) {
    return new StringBuilder("<figure class=\"chart\" id=\"")
        .append(esc(id))
        .append("\"><figcaption>")
        .append(esc(title))
        .append("</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" role=\"img\" aria-labelledby=\"")
        .append(esc(id))
        .append("-t ")
        .append(esc(id))
        .append("-d\"><title id=\"")
        .append(esc(id))
        .append("-t\">")
        .append(esc(title))
        .append("</title><desc id=\"")
        .append(esc(id))
        .append("-d\">")
        .append(esc(desc))
        .append("</desc>");
  }

  private static void axis(StringBuilder b, int x0, int y0, int x1, int y1, long max) {
    b.append("<line x1=\"")
        .append(x0)
        .append("\" y1=\"")
        .append(y1)
        .append("\" x2=\"")
        .append(x1)
        .append("\" y2=\"")
        .append(y1)
        .append("\" stroke=\"#555\"/><line x1=\"")
        .append(x0)
        .append("\" y1=\"")
        .append(y0)
        .append("\" x2=\"")
        .append(x0)
        .append("\" y2=\"")
        .append(y1)
        .append("\" stroke=\"#555\"/>");
    for (long tick : List.of(0L, max / 2, max)) {
      double y = y1 - (double) tick / max * (y1 - y0);
      b.append("<text x=\"")
          .append(x0 - 6)
          .append("\" y=\"")
          .append(f(y + 4))
          .append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">")
          .append(tick)
          .append("</text>");
    }
  }

  private static String legend(List<String> names) {
    StringBuilder b = new StringBuilder("<ul class=\"legend\">");
    for (int i = 0; i < names.size(); i++) {
      b.append("<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\"")
          .append(" height=\"12\" fill=\"")
          .append(PALETTE[i % PALETTE.length])
          .append("\"/></svg> ")
          .append(esc(names.get(i)))
          .append("</li>");
    }
    return b.append("</ul>").toString();
  }

  private static String f(double v) {
    return String.valueOf(Math.round(v * 10) / 10.0);
  }
}
