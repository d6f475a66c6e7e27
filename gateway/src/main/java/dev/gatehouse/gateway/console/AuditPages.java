package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.engine.audit.AuditPage;
import dev.gatehouse.engine.audit.AuditVerifier;
import dev.gatehouse.engine.audit.LiteralsWithheld;
import dev.gatehouse.engine.audit.StatementRecord;
import dev.gatehouse.engine.audit.TrailReader;
import dev.gatehouse.engine.audit.VerifyReport;
import dev.gatehouse.gateway.audit.AuditFilters;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit explorer: the CLI's filters, paging, one record in full, chain verification and export.
 * It shows what the trail stores and nothing else: masked values and redacted errors stay as they
 * were written, and no data is queried again. Auditors (the admin API's test) search the whole
 * trail; everyone else searches their own records only.
 */
@RestController
class AuditPages {

  /** The CLI's filter names, in the order the form shows them. */
  static final List<String> FILTERS =
      List.of(
          "subject",
          "issuer",
          "group",
          "table",
          "kind",
          "decision",
          "rule",
          "masked-column",
          "since",
          "until",
          "text");

  private static final int EXPORT_MAX = 10_000;

  private final ConsoleAccess access;

  AuditPages(ConsoleAccess access) {
    this.access = access;
  }

  @GetMapping("/console/audit")
  ResponseEntity<String> search(HttpServletRequest http, @RequestParam Map<String, String> params) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    Map<String, String> filters = filters(params, v);
    StringBuilder b = new StringBuilder(AuditViews.form(filters, v.auditor()));
    try {
      AuditPage page =
          access
              .beans()
              .auditSearch()
              .search(AuditFilters.query(filters, Instant.now()), v.cleared());
      b.append(AuditViews.results(page, query(filters, null)));
      String q = query(filters, null);
      b.append(
              "<p class=\"exports\">Export this search: <a href=\"/console/audit/export?format=csv")
          .append(q.isEmpty() ? "" : "&amp;" + esc(q))
          .append("\">CSV</a> · <a href=\"/console/audit/export?format=json")
          .append(q.isEmpty() ? "" : "&amp;" + esc(q))
          .append("\">JSON</a></p>");
      if (page.nextCursor() != null) {
        b.append("<p><a rel=\"next\" href=\"/console/audit?")
            .append(esc(query(filters, page.nextCursor())))
            .append("\">Next page</a></p>");
      }
    } catch (IllegalArgumentException e) {
      b.append("<p class=\"problem\" role=\"alert\">").append(esc(e.getMessage())).append("</p>");
    } catch (SQLException e) {
      b.append("<p class=\"problem\" role=\"alert\">the audit trail cannot be searched now: ")
          .append(esc(e.getMessage()))
          .append("</p>");
    }
    if (v.auditor()) {
      b.append("<section aria-labelledby=\"chains-h\"><h2 id=\"chains-h\">Chains</h2>")
          .append("<p>Walk every hash chain of the trail and check it against the audit key:")
          .append(" <a href=\"/console/audit/verify\">verify the chains</a>.</p></section>");
    }
    return Html.ok(Html.page(v.auditor() ? "Audit" : "My audit trail", v, b.toString()));
  }

  @GetMapping("/console/audit/records/{id}")
  ResponseEntity<String> record(HttpServletRequest http, @PathVariable("id") String id) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Html.problem(400, "Audit record", v, "`" + id + "` is not a record id");
    }
    TrailReader reader = new TrailReader(access.beans().console().control());
    try {
      Optional<StatementRecord> r =
          reader.statement(uuid).filter(s -> v.auditor() || v.is(s.issuer(), s.subject()));
      if (r.isEmpty()) {
        return Html.problem(404, "Audit record", v, "no audit record `" + id + "` you may see");
      }
      StatementRecord s = v.cleared() ? r.get() : LiteralsWithheld.of(r.get());
      var steps =
          s.approvalId() == null
              ? List.<dev.gatehouse.engine.audit.ApprovalEvent>of()
              : reader.steps(UUID.fromString(s.approvalId()));
      return Html.ok(Html.page("Audit record", v, AuditViews.detail(s, steps)));
    } catch (SQLException e) {
      return Html.problem(
          503, "Audit record", v, "the audit trail cannot be read now: " + e.getMessage());
    }
  }

  @GetMapping("/console/audit/verify")
  ResponseEntity<String> verify(HttpServletRequest http) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    if (!v.auditor()) {
      return Html.problem(
          403, "Chains", v, "only the policy's approvers may verify the audit trail");
    }
    try {
      VerifyReport report =
          new AuditVerifier(access.beans().console().control(), access.beans().console().auditKey())
              .verify();
      return Html.ok(Html.page("Chains", v, AuditViews.chains(report)));
    } catch (SQLException e) {
      return Html.problem(
          503, "Chains", v, "the audit trail cannot be read now: " + e.getMessage());
    }
  }

  @GetMapping("/console/audit/export")
  ResponseEntity<String> export(HttpServletRequest http, @RequestParam Map<String, String> params) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    String format = params.getOrDefault("format", "csv").toLowerCase(Locale.ROOT);
    if (!format.equals("csv") && !format.equals("json")) {
      return Html.problem(400, "Export", v, "unknown format `" + format + "`; use csv or json");
    }
    Map<String, String> filters = filters(params, v);
    filters.put("limit", "1000");
    List<StatementRecord> all = new ArrayList<>();
    try {
      String cursor = null;
      do {
        Map<String, String> f = new LinkedHashMap<>(filters);
        if (cursor != null) {
          f.put("cursor", cursor);
        }
        AuditPage page =
            access.beans().auditSearch().search(AuditFilters.query(f, Instant.now()), v.cleared());
        all.addAll(page.items());
        cursor = page.nextCursor();
      } while (cursor != null && all.size() < EXPORT_MAX);
    } catch (IllegalArgumentException e) {
      return Html.problem(400, "Export", v, e.getMessage());
    } catch (SQLException e) {
      return Html.problem(
          503, "Export", v, "the audit trail cannot be searched now: " + e.getMessage());
    }
    String body = format.equals("csv") ? AuditExport.csv(all) : AuditExport.json(all);
    return ResponseEntity.ok()
        .header(
            "Content-Type", format.equals("csv") ? "text/csv;charset=UTF-8" : "application/json")
        .header("Content-Disposition", "attachment; filename=\"gatehouse-audit." + format + "\"")
        .header("Cache-Control", "no-store")
        .body(body);
  }

  /** The filters the viewer asked for; a non-auditor's are narrowed to their own records. */
  static Map<String, String> filters(Map<String, String> params, Viewer v) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : FILTERS) {
      String value = params.get(name);
      if (value != null && !value.isBlank()) {
        out.put(name, value.strip());
      }
    }
    if (params.get("cursor") != null && !params.get("cursor").isBlank()) {
      out.put("cursor", params.get("cursor"));
    }
    if (!v.auditor()) {
      out.put("subject", v.principal().subject());
      out.put("issuer", v.principal().issuer());
    }
    if (!out.containsKey("limit")) {
      out.put("limit", "50");
    }
    return out;
  }

  static String query(Map<String, String> filters, String cursor) {
    StringBuilder b = new StringBuilder();
    filters.forEach(
        (k, val) -> {
          if (!k.equals("cursor") && !k.equals("limit")) {
            b.append(b.isEmpty() ? "" : "&").append(k).append('=').append(enc(val));
          }
        });
    if (cursor != null) {
      b.append(b.isEmpty() ? "" : "&").append("cursor=").append(enc(cursor));
    }
    return b.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
