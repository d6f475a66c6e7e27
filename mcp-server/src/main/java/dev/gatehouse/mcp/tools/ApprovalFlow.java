package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.mcp.tools.ToolResults.ErrorKind;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A statement that needs approval: create (or resume) the request, wait a bounded time with
 * progress, then either use the approval (only the requester, only for the exact statement) or tell
 * the caller how to resume. Nothing runs unless its requester is on the line: if the caller goes
 * away while waiting, the request is cancelled.
 */
final class ApprovalFlow {

  /** What the flow decided. */
  sealed interface Resolution {}

  /** Approved and consumed: run the statement under this approval. */
  record Approved(UUID approvalId) implements Resolution {}

  /** No run: return this result. */
  record Refused(McpSchema.CallToolResult result) implements Resolution {}

  private final GatedStatements gated;

  ApprovalFlow(GatedStatements gated) {
    this.gated = gated;
  }

  Resolution resolve(
      CallContext caller, Verdict verdict, String sql, List<String> params, UUID approvalId) {
    ApprovalService approvals = gated.gate().approvals();
    Principal principal = caller.principal();
    ApprovalRequest request;
    if (approvalId == null) {
      request = approvals.request(principal, caller.request(), sql, params, verdict.decision());
    } else {
      Optional<ApprovalRequest> found = approvals.find(approvalId);
      if (found.isEmpty() || !requestedBy(found.get(), principal)) {
        // Someone else's id reads the same as an unknown one: nothing about it is disclosed.
        return refuse(
            caller,
            verdict,
            params,
            null,
            ErrorKind.APPROVAL_REFUSED,
            "approval `"
                + approvalId
                + "` is not one of your requests; call `query` without"
                + " `approval_id` to request approval",
            Map.of());
      }
      request = found.get();
    }
    request = await(caller, approvals, request);
    UUID id = request.id();
    return switch (request.state()) {
      case APPROVED -> consume(caller, verdict, sql, params, approvals, id);
      case PENDING ->
          refuse(
              caller,
              verdict,
              params,
              id,
              ErrorKind.APPROVAL_PENDING,
              "this statement needs approval ("
                  + verdict.decision().explanation()
                  + "); an approver has been asked. Call `query` again with the same `sql` and"
                  + " `params` and `approval_id` = `"
                  + id
                  + "` to wait for the decision and run"
                  + " it once approved",
              Map.of(
                  "approval_id", id.toString(), "expires_at", String.valueOf(request.expiresAt())));
      case DENIED ->
          refuse(
              caller,
              verdict,
              params,
              id,
              ErrorKind.APPROVAL_REFUSED,
              "approval `"
                  + id
                  + "` was denied by "
                  + request.decidedBy()
                  + (request.decisionReason() == null ? "" : ": " + request.decisionReason())
                  + "; the statement did not run",
              Map.of("approval_id", id.toString()));
      case EXPIRED, CANCELLED, USED ->
          refuse(
              caller,
              verdict,
              params,
              id,
              ErrorKind.APPROVAL_REFUSED,
              "approval `"
                  + id
                  + "` is "
                  + request.state().name().toLowerCase()
                  + "; call `query` without `approval_id` to request a new approval",
              Map.of("approval_id", id.toString()));
    };
  }

  private Resolution consume(
      CallContext caller,
      Verdict verdict,
      String sql,
      List<String> params,
      ApprovalService approvals,
      UUID id) {
    try {
      approvals.consume(id, caller.principal(), caller.request().database(), sql, params);
      return new Approved(id);
    } catch (ApprovalException e) {
      return refuse(
          caller,
          verdict,
          params,
          id,
          ErrorKind.APPROVAL_REFUSED,
          "approval `" + id + "` cannot be used: " + e.getMessage(),
          Map.of("approval_id", id.toString()));
    }
  }

  private ApprovalRequest await(CallContext caller, ApprovalService approvals, ApprovalRequest r) {
    Duration wait = gated.config().approvalWait();
    if (r.state() != ApprovalState.PENDING || wait.isZero()) {
      return r;
    }
    CompletableFuture<ApprovalRequest> decided = approvals.awaitDecision(r.id(), wait);
    long interval = gated.config().progressInterval().toMillis();
    int tick = 0;
    while (true) {
      try {
        return decided.get(interval, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        tick++;
        boolean reachable =
            caller.progress().report(tick, "waiting for an approver to decide request " + r.id());
        if (!reachable) {
          return cancel(approvals, r, "the requester disconnected while waiting");
        }
      } catch (ExecutionException e) {
        return approvals.find(r.id()).orElse(r);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return cancel(approvals, r, "the requester's call was interrupted");
      }
    }
  }

  private static ApprovalRequest cancel(ApprovalService approvals, ApprovalRequest r, String why) {
    try {
      return approvals.cancel(r.id(), why);
    } catch (ApprovalException e) {
      // Decided meanwhile: whatever it is, it only runs through a live call of its requester.
      return approvals.find(r.id()).orElse(r);
    }
  }

  private Refused refuse(
      CallContext caller,
      Verdict verdict,
      List<String> params,
      UUID approvalId,
      ErrorKind kind,
      String message,
      Map<String, Object> extra) {
    UUID auditId = gated.recordRefusal(caller, verdict, params, message, approvalId);
    return new Refused(ToolResults.error(kind, message, verdict.decision(), auditId, extra));
  }

  private static boolean requestedBy(ApprovalRequest request, Principal principal) {
    return principal.issuer().equals(request.requesterIssuer())
        && principal.subject().equals(request.requesterSubject());
  }
}
