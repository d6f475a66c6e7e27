package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.policy.Decision;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds tool results: structured content plus a text rendering a model can read. */
public final class ToolResults {

  private ToolResults() {}

  /** Why a call did not produce a result. */
  enum ErrorKind {
    DENIED,
    APPROVAL_PENDING,
    APPROVAL_REFUSED,
    SQL_ERROR,
    UNAVAILABLE,
    INVALID_ARGUMENTS
  }

  /**
   * Arguments the tool cannot use: a result the model reads and corrects (SEP-1303), not a protocol
   * error. Nothing ran and nothing was recorded.
   */
  public static McpSchema.CallToolResult invalidArguments(String message) {
    return error(
        ErrorKind.INVALID_ARGUMENTS,
        "invalid arguments: " + message + "; fix them and call again",
        null,
        null,
        Map.of());
  }

  /** A quota refused the call (SQLSTATE 53300): which quota, and what to do. */
  public static McpSchema.CallToolResult quotaExceeded(String message) {
    return error(ErrorKind.UNAVAILABLE, message, null, null, Map.of("sqlstate", "53300"));
  }

  /** The gateway failed in a way the tool did not anticipate; details stay in the log. */
  public static McpSchema.CallToolResult internalError() {
    return error(
        ErrorKind.UNAVAILABLE,
        "the gateway failed to complete this call; nothing more ran. Try again later",
        null,
        null,
        Map.of());
  }

  static McpSchema.CallToolResult success(Map<String, Object> structured, String text) {
    return success(structured, text, null);
  }

  /**
   * A result whose text holds data from the database inside {@code boundaries}: the text content
   * names their markers in {@code _meta} ({@link UntrustedData#META_KEY}).
   */
  static McpSchema.CallToolResult success(
      Map<String, Object> structured, String text, UntrustedData.Boundaries boundaries) {
    return McpSchema.CallToolResult.builder()
        .addContent(content(text, boundaries))
        .structuredContent(structured)
        .isError(false)
        .build();
  }

  private static McpSchema.TextContent content(String text, UntrustedData.Boundaries boundaries) {
    return new McpSchema.TextContent(null, text, UntrustedData.meta(boundaries));
  }

  /**
   * An {@code isError} result: what was refused and why, in text and as structured {@code error}
   * (kind, message, rule ids, and what to do next).
   */
  static McpSchema.CallToolResult error(
      ErrorKind kind, String message, Decision decision, UUID auditId, Map<String, Object> extra) {
    return error(kind, message, message, null, decision, auditId, extra);
  }

  /**
   * An error whose text differs from its structured {@code message}: {@code text} marks what came
   * from the database ({@code boundaries}), the structured message stays exact.
   */
  static McpSchema.CallToolResult error(
      ErrorKind kind,
      String message,
      String textMessage,
      UntrustedData.Boundaries boundaries,
      Decision decision,
      UUID auditId,
      Map<String, Object> extra) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("kind", kind.name().toLowerCase());
    error.put("message", message);
    if (decision != null) {
      error.put("rule_ids", decision.ruleIds());
    }
    error.putAll(extra);
    Map<String, Object> structured = new LinkedHashMap<>();
    structured.put("error", error);
    if (decision != null) {
      structured.put("decision", decision(decision));
    }
    if (auditId != null) {
      structured.put("audit_id", auditId.toString());
    }
    StringBuilder text = new StringBuilder(textMessage);
    if (decision != null && !decision.ruleIds().isEmpty()) {
      text.append("\nrules: ").append(String.join(", ", decision.ruleIds()));
    }
    extra.forEach((k, v) -> text.append('\n').append(k).append(": ").append(v));
    if (auditId != null) {
      text.append("\naudit id: ").append(auditId);
    }
    return McpSchema.CallToolResult.builder()
        .addContent(content(text.toString(), boundaries))
        .structuredContent(structured)
        .isError(true)
        .build();
  }

  /** A refusal from admission: its kind, its message for a model, SQLSTATE and approval id. */
  static McpSchema.CallToolResult refused(Refused refused) {
    Refusal refusal = refused.refusal();
    ErrorKind kind =
        switch (refusal) {
          case Refusal.Denied d -> ErrorKind.DENIED;
          case Refusal.AuditUnavailable a -> ErrorKind.UNAVAILABLE;
          case Refusal.Internal i -> ErrorKind.UNAVAILABLE;
          default -> ErrorKind.APPROVAL_REFUSED;
        };
    Map<String, Object> extra = new LinkedHashMap<>();
    if (refusal.approvalId() != null) {
      extra.put("approval_id", refusal.approvalId().toString());
    }
    extra.put("sqlstate", refused.sqlState().code());
    return error(
        kind,
        refused.toolMessage(),
        refused.verdict() == null ? null : refused.verdict().decision(),
        refused.auditId(),
        extra);
  }

  static Map<String, Object> decision(Decision decision) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("effect", decision.effect().name());
    out.put("rule_ids", List.copyOf(decision.ruleIds()));
    return out;
  }
}
