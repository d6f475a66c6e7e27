package dev.gatehouse.slack.audit;

import dev.gatehouse.engine.approval.ApprovalRequest;
import java.time.Instant;
import java.util.UUID;

/**
 * What the bot records besides the approval service's own audit: callbacks refused before anyone
 * could be identified, and every click with who clicked, as whom, and whether it was accepted.
 */
public interface SlackAuditLog {

  /** A callback refused for its signature or timestamp. */
  void rejectedCallback(Instant at, String reason);

  /** One Approve / Deny click (or deny submission), accepted or refused. */
  void click(Click click);

  /**
   * A click.
   *
   * @param action {@code approve}, {@code deny} (submitted with a reason) or {@code deny-open}
   * @param issuer the issuer of the identity the Slack user maps to, or null when unmapped
   * @param subject the subject of that identity, or null when unmapped
   * @param request the request as the bot saw it, or null when it does not exist
   * @param refusal why the click was refused, or null when accepted
   */
  record Click(
      Instant at,
      String slackUserId,
      String slackTeamId,
      String action,
      UUID requestId,
      String issuer,
      String subject,
      ApprovalRequest request,
      String refusal) {

    public boolean accepted() {
      return refusal == null;
    }
  }
}
