package dev.gatehouse.slack.audit;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.audit.ApprovalEvent;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuthEvent;
import java.time.Instant;

/**
 * Writes the bot's records to the gateway's tamper-evident {@link AuditTrail}. A forged or stale
 * callback is a failed authentication (nobody could be identified). An accepted click is a Slack
 * user authenticating as an identity-provider identity, which links the Slack account to the
 * decision the approval service records. A refused click is a refused approval step, like the ones
 * the approval service records itself, with the Slack user and the reason in its detail.
 */
public final class AuditTrailSlackAuditLog implements SlackAuditLog {

  /** The client application recorded on authentication events, so reviewers can filter Slack's. */
  public static final String APPLICATION = "slack-approval-bot";

  private final AuditTrail trail;

  public AuditTrailSlackAuditLog(AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void rejectedCallback(Instant at, String reason) {
    // Neither the wire nor the MCP channel applies; the application names the Slack endpoint.
    trail.authentication(new AuthEvent(at, null, null, APPLICATION, null, null, null, reason));
  }

  @Override
  public void click(Click c) {
    String who = "slack user " + c.slackUserId() + " (" + c.slackTeamId() + ") " + c.action();
    if (c.accepted()) {
      trail.authentication(
          new AuthEvent(
              c.at(),
              null,
              c.request() == null ? null : c.request().database(),
              APPLICATION,
              "slack:" + c.slackUserId(),
              c.issuer(),
              c.subject(),
              null));
      return;
    }
    ApprovalRequest r = c.request();
    trail.approval(
        new ApprovalEvent(
            c.at(),
            c.requestId(),
            ApprovalEvent.Step.REFUSED,
            c.issuer(),
            c.subject(),
            r == null ? null : r.requesterIssuer(),
            r == null ? null : r.requesterSubject(),
            r == null ? null : r.database(),
            who + " refused: " + c.refusal()));
  }
}
