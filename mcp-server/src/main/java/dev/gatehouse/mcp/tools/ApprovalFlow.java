package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.mcp.tools.ToolResults.ErrorKind;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A statement that needs approval, as MCP shows it: wait a bounded time with progress, then run it
 * (admission has used the approval), return the refusal, or tell the caller how to resume.
 * Creating, resuming, using and refusing approvals, and recording them once, is admission's work
 * (ADR 0009). Nothing runs unless its requester is on the line: if the caller goes away while
 * waiting, the request is cancelled.
 */
final class ApprovalFlow {

  /** What the flow decided. */
  sealed interface Resolution {}

  /** Approved and used: run the statement under this admission. */
  record Approved(Admitted admitted) implements Resolution {}

  /** No run: return this result. */
  record Refused(McpSchema.CallToolResult result) implements Resolution {}

  private final GatedStatements gated;

  ApprovalFlow(GatedStatements gated) {
    this.gated = gated;
  }

  Resolution resolve(CallContext caller, AwaitingApproval awaiting) {
    Admission opened = join(awaiting.request(), awaiting, "creating the approval request");
    if (opened instanceof AwaitingApproval a) {
      opened = await(caller, a);
    }
    return switch (opened) {
      case Admitted admitted -> new Approved(admitted);
      case dev.gatehouse.engine.admission.Refused refused ->
          new Refused(ToolResults.refused(refused));
      case AwaitingApproval pending ->
          new Refused(pending(pending.id(), pending.verdict().decision(), pending.expiresAt()));
    };
  }

  private Admission await(CallContext caller, AwaitingApproval awaiting) {
    Duration wait = gated.config().approvalWait();
    CompletableFuture<Admission> decided = awaiting.await(wait);
    if (wait.isZero()) {
      return join(decided, awaiting, "reading the approval");
    }
    long interval = gated.config().progressInterval().toMillis();
    int tick = 0;
    while (true) {
      try {
        return decided.get(interval, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        tick++;
        boolean reachable =
            caller
                .progress()
                .report(tick, "waiting for an approver to decide request " + awaiting.id());
        if (!reachable) {
          return awaiting.cancelled("the requester disconnected while waiting");
        }
      } catch (ExecutionException e) {
        return internal(awaiting, "waiting for the approval");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return awaiting.cancelled("the requester's call was interrupted");
      }
    }
  }

  private static Admission join(
      CompletableFuture<Admission> future, AwaitingApproval awaiting, String step) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      return internal(awaiting, step);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return awaiting.cancelled("the requester's call was interrupted");
    }
  }

  private static Admission internal(AwaitingApproval awaiting, String step) {
    return new dev.gatehouse.engine.admission.Refused(
        awaiting.verdict(), new Refusal.Internal(step), null);
  }

  /** Still pending: nothing is recorded (the request is), and the caller learns how to resume. */
  static McpSchema.CallToolResult pending(
      java.util.UUID approvalId, Decision decision, java.time.Instant expiresAt) {
    String id = String.valueOf(approvalId);
    Map<String, Object> extra = new java.util.LinkedHashMap<>();
    extra.put("approval_id", id);
    if (expiresAt != null) {
      extra.put("expires_at", expiresAt.toString());
    }
    return ToolResults.error(
        ErrorKind.APPROVAL_PENDING,
        "this statement needs approval ("
            + decision.explanation()
            + "); an approver has been asked. Follow it with `approval_status` and"
            + " `approval_id` = `"
            + id
            + "` (it waits for the decision); once approved, call `query` again with the same"
            + " `sql` and `params` and that `approval_id` to run it once",
        decision,
        null,
        extra);
  }
}
