package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.admission.ApprovalStatus;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.mcp.tools.ToolResults.ErrorKind;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code approval_status}: where the caller's approval request stands, waiting a bounded time for a
 * decision (a long poll any client can make). Reading it runs and uses nothing; {@code query} with
 * the {@code approval_id} does.
 */
public final class ApprovalStatusTool implements GovernedTool {

  static final int MAX_WAIT_SECONDS = 30;

  private final GatedStatements gated;
  private final McpSchema.Tool definition;

  public ApprovalStatusTool(GatedStatements gated) {
    this.gated = gated;
    this.definition = define();
  }

  static McpSchema.Tool define() {
    var output =
        Schemas.result(
            Schemas.props(
                "approval_id", Schemas.type("string"),
                "state",
                    Map.of(
                        "type",
                        "string",
                        "enum",
                        List.of("pending", "approved", "denied", "expired", "cancelled", "used")),
                "sql", Schemas.type("string"),
                "expires_at", Schemas.nullable("string"),
                "decided_by", Schemas.nullable("string"),
                "decided_at", Schemas.nullable("string"),
                "reason", Schemas.nullable("string")),
            List.of("approval_id", "state", "sql"));
    return McpSchema.Tool.builder()
        .name("approval_status")
        .title("Approval status")
        .description(
            "Where one of your approval requests stands: pending, approved, denied, expired,"
                + " cancelled or used, with who decided and why. Waits up to `wait_seconds` (at"
                + " most "
                + MAX_WAIT_SECONDS
                + ") while it is pending. Once approved, call `query` with the same `sql` and"
                + " `params` and this `approval_id` to run it (once).")
        .inputSchema(
            Schemas.object(
                Schemas.props(
                    "approval_id",
                        Schemas.string("the id a `query` result that needed approval gave"),
                    "wait_seconds",
                        Map.of(
                            "type",
                            "integer",
                            "minimum",
                            0,
                            "maximum",
                            MAX_WAIT_SECONDS,
                            "description",
                            "how long to wait for a decision while pending")),
                List.of("approval_id")))
        .outputSchema(output)
        .annotations(
            new McpSchema.ToolAnnotations("Approval status", true, false, true, false, null))
        .build();
  }

  @Override
  public McpSchema.Tool definition() {
    return definition;
  }

  @Override
  public boolean visibleTo(CallContext caller) {
    // Shown with `query`: only a caller who may run statements can have a request to follow.
    return gated.decide(caller, QueryTool.PROBE).decision().effect() != Effect.DENY;
  }

  @Override
  public McpSchema.CallToolResult call(CallContext caller, Map<String, Object> arguments) {
    Arguments args =
        new Arguments("approval_status", arguments, Set.of("approval_id", "wait_seconds"));
    UUID id = args.optionalUuid("approval_id");
    if (id == null) {
      throw new InvalidArgumentsException("`approval_status` needs an `approval_id`");
    }
    int wait = args.optionalIntBetween("wait_seconds", 0, MAX_WAIT_SECONDS, 0);
    Optional<ApprovalStatus> status;
    try {
      status =
          gated
              .gate()
              .approvalStatus(caller.principal(), id, Duration.ofSeconds(wait))
              .get(wait + 30L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolResults.internalError();
    } catch (ExecutionException | TimeoutException e) {
      return ToolResults.internalError();
    }
    if (status.isEmpty()) {
      return ToolResults.error(
          ErrorKind.APPROVAL_REFUSED,
          "approval `" + id + "` is not one of your requests",
          null,
          null,
          Map.of("approval_id", id.toString()));
    }
    return ToolResults.success(structured(status.get()), text(status.get()));
  }

  static Map<String, Object> structured(ApprovalStatus s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("approval_id", s.id().toString());
    out.put("state", s.state());
    out.put("sql", s.sql());
    out.put("expires_at", s.expiresAt() == null ? null : s.expiresAt().toString());
    out.put("decided_by", s.decidedBy());
    out.put("decided_at", s.decidedAt() == null ? null : s.decidedAt().toString());
    out.put("reason", s.reason());
    return out;
  }

  private static String text(ApprovalStatus s) {
    String head = "approval " + s.id() + ": " + s.state();
    String next =
        switch (s.state()) {
          case "pending" ->
              " (expires " + s.expiresAt() + "); call `approval_status` again to keep waiting";
          case "approved" ->
              " by "
                  + s.decidedBy()
                  + "; call `query` with the same `sql` and `params` and this `approval_id` to"
                  + " run it once";
          case "denied" ->
              " by " + s.decidedBy() + (s.reason() == null ? "" : ": " + oneLine(s.reason()));
          case "expired" -> "; no approver decided in time. Ask again by calling `query`";
          default -> "; it can no longer be used";
        };
    return head + next;
  }

  private static String oneLine(String approverText) {
    return UntrustedData.escape(approverText);
  }
}
