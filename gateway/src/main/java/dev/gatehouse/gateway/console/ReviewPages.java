package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.audit.IdentitySummary;
import dev.gatehouse.gateway.audit.AuditFilters;
import dev.gatehouse.gateway.review.AccessReview;
import dev.gatehouse.gateway.web.ConsoleSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The access review of {@code review report} as a page with charts, printable. For auditors only:
 * it names every identity and what it touched.
 */
@RestController
class ReviewPages {

  static final int BUCKETS = 7;

  private final ConsoleAccess access;

  ReviewPages(ConsoleAccess access) {
    this.access = access;
  }

  @GetMapping("/console/review")
  ResponseEntity<String> review(
      HttpServletRequest http, @RequestParam(name = "since", defaultValue = "7d") String since) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    if (!v.auditor()) {
      return Html.problem(
          403, "Access review", v, "only the policy's approvers may read the access review");
    }
    Instant to = Instant.now();
    Instant from;
    try {
      from = AuditFilters.time(since, to);
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("`" + since + "` is not in the past");
      }
    } catch (IllegalArgumentException e) {
      return Html.problem(400, "Access review", v, e.getMessage());
    }
    AuditSearch search = access.beans().auditSearch();
    StringBuilder b = new StringBuilder();
    b.append("<form class=\"filters noprint\" method=\"get\" action=\"/console/review\"><div>")
        .append(
            "<label for=\"since\">Period</label><input type=\"text\" id=\"since\" name=\"since\"")
        .append(" value=\"")
        .append(esc(since))
        .append("\" placeholder=\"7d, 30d, 2026-11-01\">")
        .append("</div><div><button type=\"submit\">Show</button></div><div>")
        .append("<button type=\"button\" data-print>Print</button></div></form>");
    try {
      ConsoleSettings console = access.beans().console();
      AccessReview r =
          AccessReview.build(
              search,
              console.control(),
              console.schema(),
              access.beans().policy().policy(),
              from,
              to);
      b.append("<p>From ")
          .append(ApprovalCards.time(r.from()))
          .append(" to ")
          .append(ApprovalCards.time(r.to()))
          .append(" · policy revision <code>")
          .append(esc(r.policyRevision()))
          .append("</code></p>");
      b.append("<div class=\"charts\">").append(overTime(search, r, from, to));
      Map<String, long[]> denials = new LinkedHashMap<>();
      Map<String, long[]> masked = new LinkedHashMap<>();
      Map<String, long[]> approvals = new LinkedHashMap<>();
      for (AccessReview.Row s : r.identities()) {
        denials.put(s.subject(), new long[] {s.denials()});
        masked.put(s.subject(), new long[] {s.maskedColumns().size()});
        approvals.put(s.subject(), new long[] {s.approvalsRequested(), s.approvalsGiven()});
      }
      b.append(Charts.bars("denials", "Denials per identity", List.of("denials"), denials))
          .append(
              Charts.bars(
                  "masked", "Masked columns read per identity", List.of("masked columns"), masked))
          .append(
              Charts.bars(
                  "approvals", "Approvals per identity", List.of("requested", "given"), approvals))
          .append("</div>");
      b.append(ReviewTable.table(r));
    } catch (SQLException e) {
      b.append("<p class=\"problem\" role=\"alert\">the audit trail cannot be read now: ")
          .append(esc(e.getMessage()))
          .append("</p>");
    }
    return Html.ok(Html.page("Access review", v, b.toString()));
  }

  /** Statements per identity in {@value #BUCKETS} equal slices of the period. */
  private static String overTime(AuditSearch search, AccessReview r, Instant from, Instant to)
      throws SQLException {
    Duration slice = Duration.between(from, to).dividedBy(BUCKETS);
    DateTimeFormatter fmt =
        DateTimeFormatter.ofPattern(slice.toHours() >= 24 ? "MM-dd" : "MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    List<String> labels = new ArrayList<>();
    Map<String, long[]> series = new TreeMap<>();
    for (AccessReview.Row s : r.identities()) {
      series.put(s.subject(), new long[BUCKETS]);
    }
    for (int i = 0; i < BUCKETS; i++) {
      Instant a = from.plus(slice.multipliedBy(i));
      Instant z = i == BUCKETS - 1 ? to : a.plus(slice);
      labels.add(fmt.format(a));
      for (IdentitySummary s : search.summaries(a, z)) {
        long[] v = series.get(s.subject());
        if (v != null) {
          v[i] += s.statements();
        }
      }
    }
    return Charts.lines("over-time", "Statements per identity over time", labels, series);
  }
}
