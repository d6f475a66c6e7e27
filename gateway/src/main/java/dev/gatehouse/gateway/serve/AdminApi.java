package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.PolicyApprovers;
import dev.gatehouse.engine.audit.AuditPage;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Approvers;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.gateway.audit.AuditFilters;
import dev.gatehouse.gateway.audit.AuditReaders;
import dev.gatehouse.gateway.web.WebBeans;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API: approvals (list, show, approve, deny) and audit search. Every call carries the
 * caller's bearer token, verified by the gate; the approval service decides who may approve, and
 * only the policy's default approvers may search the audit trail.
 */
@RestController
// Imported here rather than in WebApp: the fixed error bodies belong with the endpoints they cover.
@org.springframework.context.annotation.Import(ApiErrors.class)
class AdminApi {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AdminApi.class);

  private final WebBeans beans;

  AdminApi(WebBeans beans) {
    this.beans = beans;
  }

  /** Requests the caller may decide, and the caller's own. */
  @GetMapping("/admin/approvals")
  ResponseEntity<?> pending(HttpServletRequest http) {
    Principal caller;
    try {
      caller = caller(http);
    } catch (AuthenticationException e) {
      return unauthorized(e);
    }
    List<ApprovalRequest> visible =
        beans.approvals().pending().stream().filter(r -> visible(caller, r)).toList();
    return ResponseEntity.ok(Map.of("approvals", visible));
  }

  @GetMapping("/admin/approvals/{id}")
  ResponseEntity<?> show(HttpServletRequest http, @PathVariable("id") String id) {
    Principal caller;
    try {
      caller = caller(http);
    } catch (AuthenticationException e) {
      return unauthorized(e);
    }
    Optional<ApprovalRequest> found = find(id).filter(r -> visible(caller, r));
    return found
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(() -> error(404, "no approval request `" + id + "` you may see"));
  }

  @PostMapping("/admin/approvals/{id}/approve")
  ResponseEntity<?> approve(HttpServletRequest http, @PathVariable("id") String id) {
    return decide(http, id, null);
  }

  @PostMapping("/admin/approvals/{id}/deny")
  ResponseEntity<?> deny(
      HttpServletRequest http,
      @PathVariable("id") String id,
      @RequestBody(required = false) Map<String, Object> body) {
    Object reason = body == null ? null : body.get("reason");
    if (!(reason instanceof String r) || r.strip().length() < 3) {
      return error(400, "say why the statement is denied: `{\"reason\": \"...\"}`");
    }
    return decide(http, id, r.strip());
  }

  @GetMapping("/admin/audit")
  ResponseEntity<?> audit(HttpServletRequest http, @RequestParam Map<String, String> params) {
    Principal caller;
    try {
      caller = caller(http);
    } catch (AuthenticationException e) {
      return unauthorized(e);
    }
    Approvers auditors = beans.policy().policy().approvers();
    boolean allowed =
        auditors.subjects().contains(caller.subject())
            || auditors.groups().stream().anyMatch(caller.groups()::contains);
    if (!allowed) {
      return error(403, "only the policy's approvers may search the audit trail");
    }
    try {
      // A reader not cleared for masked values sees statement literals withheld (red-team R18).
      AuditPage page =
          beans
              .auditSearch()
              .search(
                  AuditFilters.query(params, Instant.now()),
                  AuditReaders.cleared(beans.policy().policy(), caller));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("items", page.items());
      out.put("nextCursor", page.nextCursor());
      return ResponseEntity.ok(out);
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    } catch (SQLException e) {
      // The driver's message can name hosts, roles and SQL: it goes to the log, not the caller.
      log.warn("audit search failed: {}", e.toString());
      return error(503, "the audit trail cannot be searched now; try again later");
    }
  }

  private ResponseEntity<?> decide(HttpServletRequest http, String id, String denyReason) {
    Principal caller;
    try {
      caller = caller(http);
    } catch (AuthenticationException e) {
      return unauthorized(e);
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return error(400, "`" + id + "` is not an approval id");
    }
    if (beans.approvals().find(uuid).isEmpty()) {
      return error(404, "no approval request `" + id + "`");
    }
    try {
      ApprovalRequest r =
          denyReason == null
              ? beans.approvals().approve(uuid, caller)
              : beans.approvals().deny(uuid, caller, denyReason);
      return ResponseEntity.ok(r);
    } catch (ApprovalException e) {
      return error(403, e.getMessage());
    }
  }

  private boolean visible(Principal caller, ApprovalRequest r) {
    boolean own = caller.is(r.requesterIssuer(), r.requesterSubject());
    return own || new PolicyApprovers(beans.policy()::policy).mayApprove(caller, r);
  }

  private Optional<ApprovalRequest> find(String id) {
    try {
      return beans.approvals().find(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Principal caller(HttpServletRequest http) throws AuthenticationException {
    String header = http.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException(
          AuthenticationException.Reason.MISSING_TOKEN,
          "send your token as `Authorization: Bearer <token>`");
    }
    RequestContext context =
        new RequestContext(
            Channel.CLI,
            beans.mcp().database(),
            "gatehouse-admin-api",
            http.getRemoteAddr(),
            Instant.now());
    return beans.gate().authenticate(header.substring(7).strip(), context);
  }

  private static ResponseEntity<?> unauthorized(AuthenticationException e) {
    return ResponseEntity.status(401)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .body(Map.of("error", describe(e)));
  }

  /** A fixed text per reason: a verifier's message can quote the token or a library's words. */
  static String describe(AuthenticationException e) {
    return switch (e.reason()) {
      case MISSING_TOKEN -> "send your token as `Authorization: Bearer <token>`";
      case EXPIRED -> "the token expired; get a new one";
      case NOT_YET_VALID -> "the token is not valid yet";
      case WRONG_AUDIENCE -> "the token is not meant for this gateway (audience)";
      case UNTRUSTED_ISSUER -> "the token's issuer is not trusted here";
      case ISSUER_UNAVAILABLE -> "the token's issuer cannot be reached to check it; try again";
      default -> "the token is invalid";
    };
  }

  private static ResponseEntity<?> error(int status, String message) {
    return ResponseEntity.status(status).body(Map.of("error", message));
  }
}
