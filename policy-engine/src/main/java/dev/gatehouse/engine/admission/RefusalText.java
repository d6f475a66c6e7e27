package dev.gatehouse.engine.admission;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place a {@link Refusal} becomes text: for a SQL client (error message and hint), for an
 * MCP tool result, and for the audit record.
 */
public final class RefusalText {

  /** The policy's sentences begin with who denied; the client message names the rule already. */
  private static final Pattern DENIED_PREFIX =
      Pattern.compile("^denied(?: by (?:rule )?`[^`]*`)?: ");

  private RefusalText() {}

  /** The ErrorResponse message a SQL client sees. */
  public static String client(Refusal refusal) {
    return switch (refusal) {
      // Only a 42501 says "permission denied": a message past the analyser's limits (54000,
      // 54001) is refused for its size, as PostgreSQL would refuse it, whatever the grants.
      case Refusal.Denied d when d.sqlState() != SqlState.INSUFFICIENT_PRIVILEGE ->
          DENIED_PREFIX.matcher(d.explanation()).replaceFirst("")
              + " (gatehouse rule "
              + rules(d.ruleIds())
              + ")";
      case Refusal.Denied d ->
          "permission denied by gatehouse policy (rule "
              + rules(d.ruleIds())
              + "): "
              + DENIED_PREFIX.matcher(d.explanation()).replaceFirst("");
      case Refusal.Cancelled c ->
          "canceling statement due to user request"
              + (c.approvalId() == null ? "" : ": approval `" + c.approvalId() + "`");
      default -> sentence(refusal);
    };
  }

  /** The text of an MCP tool result that reports the refusal. */
  public static String tool(Refusal refusal) {
    return switch (refusal) {
      // The policy's sentences say "denied" themselves; others (test doubles, plugins) may not.
      case Refusal.Denied d ->
          DENIED_PREFIX.matcher(d.explanation()).lookingAt()
              ? d.explanation()
              : "denied: " + d.explanation();
      case Refusal.ApprovalNotYours n ->
          sentence(n) + "; call `query` without `approval_id` to request approval";
      case Refusal.ApprovalExpired e ->
          sentence(e) + "; call `query` without `approval_id` to request a new approval";
      case Refusal.ApprovalClosed c ->
          sentence(c) + "; call `query` without `approval_id` to request a new approval";
      default -> sentence(refusal);
    };
  }

  /** The error text stored in the refused statement's audit record. */
  public static String audit(Refusal refusal) {
    return client(refusal);
  }

  private static String sentence(Refusal refusal) {
    return switch (refusal) {
      case Refusal.Denied d -> d.explanation();
      case Refusal.ApprovalDenied d ->
          "approval `"
              + d.approvalId()
              + "` was denied by "
              + d.decidedBy()
              + (d.reason() == null || d.reason().isBlank() ? "" : ": " + d.reason())
              + "; the statement did not run";
      case Refusal.ApprovalExpired e ->
          "approval `"
              + e.approvalId()
              + "` expired before anyone decided; the statement did not run";
      case Refusal.ApprovalClosed c ->
          "approval `" + c.approvalId() + "` is " + c.state() + "; the statement did not run";
      case Refusal.ApprovalNotYours n ->
          "approval `" + n.approvalId() + "` is not one of your requests";
      case Refusal.ApprovalUnusable u ->
          "approval `" + u.approvalId() + "` cannot be used: " + u.why();
      case Refusal.ApprovalTimedOut t ->
          "no approver decided on approval `"
              + t.approvalId()
              + "` within "
              + t.waited()
              + "; the request was cancelled and the statement did not run";
      case Refusal.Cancelled c ->
          "the statement was cancelled while it waited"
              + (c.approvalId() == null ? "" : " for approval `" + c.approvalId() + "`");
      case Refusal.OverQuota q -> q.message();
      case Refusal.AuditUnavailable a ->
          "statement refused: the audit trail cannot be written, so nothing is run or returned"
              + " until it can";
      case Refusal.Internal i -> "the gateway failed while " + i.step() + ", so nothing ran";
    };
  }

  private static String rules(List<String> ruleIds) {
    return ruleIds.stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "));
  }
}
