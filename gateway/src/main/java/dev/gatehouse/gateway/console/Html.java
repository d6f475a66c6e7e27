package dev.gatehouse.gateway.console;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Escaping and the page frame every console page shares: one stylesheet, one script, no inline. */
final class Html {

  private Html() {}

  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    // What a client wrote is shown, never acted on: controls and bidi overrides as [U+XXXX].
    String s = dev.gatehouse.engine.text.VisibleText.of(String.valueOf(value), "\n");
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String list(Collection<?> values) {
    if (values == null || values.isEmpty()) {
      return "<span class=\"muted\">none</span>";
    }
    StringBuilder b = new StringBuilder();
    for (Object v : values) {
      b.append(b.isEmpty() ? "" : " ").append("<code>").append(esc(v)).append("</code>");
    }
    return b.toString();
  }

  /** A hidden field with the session's synchronizer token; every form posts one. */
  static String csrf(Viewer v) {
    return "<input type=\"hidden\" name=\"_csrf\" value=\"" + esc(v.session().csrf()) + "\">";
  }

  /** A whole page: the navigation for {@code viewer} (null when signed out) and {@code body}. */
  static String page(String title, Viewer viewer, String body) {
    StringBuilder b = new StringBuilder(4096 + body.length());
    b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(esc(title))
        .append(" · Gatehouse console</title>")
        .append("<link rel=\"stylesheet\" href=\"/console/static/console.css\">")
        .append("<script src=\"/console/static/console.js\" defer></script></head>\n<body>")
        .append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
        .append("<header><a class=\"brand\" href=\"/console\">Gatehouse console</a>");
    if (viewer != null) {
      b.append("<nav aria-label=\"Console\"><ul>");
      if (viewer.approver()) {
        b.append(link("/console/approvals", "Approvals"));
      }
      b.append(link("/console/requests", "My requests"));
      b.append(link("/console/audit", viewer.auditor() ? "Audit" : "My audit trail"));
      if (viewer.auditor()) {
        b.append(link("/console/review", "Access review"));
      }
      b.append(link("/console/why", "Policy why"));
      b.append("</ul></nav><div class=\"who\">Signed in as <strong>")
          .append(esc(viewer.principal().subject()))
          .append("</strong><form method=\"post\" action=\"/console/logout\">")
          .append(csrf(viewer))
          .append("<button type=\"submit\" class=\"link\">Sign out</button></form></div>");
    }
    b.append("</header>\n<main id=\"main\"><h1>")
        .append(esc(title))
        .append("</h1>\n")
        .append(body)
        .append("</main></body></html>\n");
    return b.toString();
  }

  private static String link(String href, String text) {
    return "<li><a href=\"" + href + "\">" + esc(text) + "</a></li>";
  }

  static ResponseEntity<String> ok(String html) {
    return status(200, html);
  }

  static ResponseEntity<String> status(int status, String html) {
    return ResponseEntity.status(status)
        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
        .cacheControl(CacheControl.noStore())
        .body(html);
  }

  /** A page that says what went wrong, in one line, with a way back. */
  static ResponseEntity<String> problem(int status, String title, Viewer viewer, String message) {
    return status(
        status,
        page(
            title,
            viewer,
            "<p class=\"problem\" role=\"alert\">"
                + esc(message)
                + "</p><p><a href=\"/console\">Back to the console</a></p>"));
  }

  static ResponseEntity<String> redirect(String location) {
    return ResponseEntity.status(303)
        .header("Location", location)
        .cacheControl(CacheControl.noStore())
        .build();
  }
}
