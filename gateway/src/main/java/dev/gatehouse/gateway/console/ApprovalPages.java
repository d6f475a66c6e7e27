package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.PolicyApprovers;
import dev.gatehouse.engine.audit.ApprovalEvent;
import dev.gatehouse.engine.audit.TrailReader;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The approval queue and its history. Deciding goes through the engine's approval service, the one
 * the admin API, the CLI and Slack use: it alone applies the four-eyes and binding rules.
 */
@RestController
class ApprovalPages {

  private final ConsoleAccess access;

  ApprovalPages(ConsoleAccess access) {
    this.access = access;
  }

  @GetMapping("/console/approvals")
  ResponseEntity<String> queue(
      HttpServletRequest http,
      @RequestParam(name = "decided", required = false) String decided,
      @RequestParam(name = "state", required = false) String state) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    if (!v.approver()) {
      return Html.problem(
          403,
          "Approvals",
          v,
          "you approve nothing under the policy; your own waiting statements are under My requests");
    }
    List<ApprovalRequest> mine = visible(v, r -> mayDecide(v, r));
    StringBuilder b = new StringBuilder();
    if (decided != null && state != null && decided.matches("[0-9a-f-]{36}")) {
      b.append("<p class=\"notice\" role=\"status\">Request <code>")
          .append(esc(decided))
          .append("</code> is now ")
          .append(esc(state.toLowerCase(java.util.Locale.ROOT)))
          .append(".</p>");
    }
    b.append("<section aria-labelledby=\"pending-h\" data-poll=\"/console/approvals/pending.json\"")
        .append(" data-ids=\"")
        .append(esc(String.join(",", mine.stream().map(r -> r.id().toString()).toList())))
        .append("\"><h2 id=\"pending-h\">Waiting for you (")
        .append(mine.size())
        .append(")</h2><p class=\"live muted\" aria-live=\"polite\"></p>");
    if (mine.isEmpty()) {
      b.append("<p>Nothing waits for your decision.</p>");
    }
    for (ApprovalRequest r : mine) {
      b.append(ApprovalCards.card(r, access.beans().console().paramMode(), v, true));
    }
    b.append("</section>");
    b.append(history(e -> true));
    return Html.ok(Html.page("Approvals", v, b.toString()));
  }

  @GetMapping("/console/requests")
  ResponseEntity<String> own(HttpServletRequest http) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    List<ApprovalRequest> mine = visible(v, r -> v.is(r.requesterIssuer(), r.requesterSubject()));
    StringBuilder b = new StringBuilder("<section aria-labelledby=\"own-h\"><h2 id=\"own-h\">");
    b.append("Your statements that wait (").append(mine.size()).append(")</h2>");
    if (mine.isEmpty()) {
      b.append("<p>None of your statements waits for an approval.</p>");
    }
    for (ApprovalRequest r : mine) {
      b.append(ApprovalCards.card(r, access.beans().console().paramMode(), v, false));
    }
    b.append("</section>");
    b.append(history(e -> v.is(e.requesterIssuer(), e.requesterSubject())));
    return Html.ok(Html.page("My requests", v, b.toString()));
  }

  /** The ids of the requests the viewer may decide, for the page's polling script. */
  @GetMapping("/console/approvals/pending.json")
  ResponseEntity<String> pendingIds(HttpServletRequest http) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return ResponseEntity.status(401).body("{\"error\":\"sign in again\"}");
    }
    Viewer v = found.get();
    List<String> ids =
        visible(v, r -> mayDecide(v, r)).stream().map(r -> r.id().toString()).toList();
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .header("Cache-Control", "no-store")
        .body(
            "{\"ids\":["
                + String.join(",", ids.stream().map(i -> "\"" + i + "\"").toList())
                + "]}");
  }

  @PostMapping("/console/approvals/{id}/approve")
  ResponseEntity<String> approve(HttpServletRequest http, @PathVariable("id") String id) {
    return decide(http, id, null);
  }

  @PostMapping("/console/approvals/{id}/deny")
  ResponseEntity<String> deny(
      HttpServletRequest http,
      @PathVariable("id") String id,
      @RequestParam(name = "reason", required = false) String reason) {
    if (reason == null || reason.strip().length() < 3) {
      Viewer v = access.viewer(http).orElse(null);
      return Html.problem(
          400, "Not denied", v, "say why the statement is denied (3 characters or more)");
    }
    return decide(http, id, reason.strip());
  }

  private ResponseEntity<String> decide(HttpServletRequest http, String id, String denyReason) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.problem(401, "Not signed in", null, "sign in again to decide");
    }
    Viewer v = found.get();
    if (!ConsoleAccess.csrfOk(v, http)) {
      return Html.problem(403, "Refused", v, "the form is stale; reload the page and decide again");
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Html.problem(400, "Not decided", v, "`" + id + "` is not an approval id");
    }
    ApprovalService service = access.beans().approvals();
    try {
      ApprovalRequest r =
          denyReason == null
              ? service.approve(uuid, v.principal())
              : service.deny(uuid, v.principal(), denyReason);
      return Html.redirect("/console/approvals?decided=" + r.id() + "&state=" + r.state());
    } catch (ApprovalException e) {
      return Html.problem(403, "Not decided", v, e.getMessage());
    }
  }

  private boolean mayDecide(Viewer v, ApprovalRequest r) {
    return new PolicyApprovers(access.beans().policy()::policy).mayApprove(v.principal(), r);
  }

  private List<ApprovalRequest> visible(Viewer v, Predicate<ApprovalRequest> which) {
    return access.beans().approvals().pending().stream().filter(which).toList();
  }

  private String history(Predicate<ApprovalEvent> which) {
    List<ApprovalEvent> events;
    try {
      events = new TrailReader(access.beans().console().control()).recent(200);
    } catch (SQLException e) {
      return "<p class=\"problem\" role=\"alert\">the approval history cannot be read now: "
          + esc(e.getMessage())
          + "</p>";
    }
    return ApprovalCards.history(events.stream().filter(which).limit(50).toList());
  }
}
