package dev.gatehouse.slack.audit;

import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuthEvent;
import java.time.Instant;

/**
 * Writes the bot's records to the gateway's tamper-evident {@link AuditTrail} as authentication
 * events: a Slack callback is an attempt to act as an identity, so a forged callback is a failed
 * authentication, and a click is a Slack user authenticating as (or failing to map to) an
 * identity-provider identity, with the request and outcome in the reason. The decision itself is
 * recorded by the approval service.
 */
public final class AuditTrailSlackAuditLog implements SlackAuditLog {

  /** The client application recorded on every event, so reviewers can filter Slack's. */
  public static final String APPLICATION = "slack-approval-bot";

  private final AuditTrail trail;

  public AuditTrailSlackAuditLog(AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void rejectedCallback(Instant at, String reason) {
    // The wire and MCP channels do not apply; the channel stays empty and the application says.
    trail.authentication(new AuthEvent(at, null, null, APPLICATION, null, null, null, reason));
  }

  @Override
  public void click(Click c) {
    String what =
        "slack user "
            + c.slackUserId()
            + " ("
            + c.slackTeamId()
            + ") "
            + c.action()
            + " request "
            + c.requestId();
    trail.authentication(
        new AuthEvent(
            c.at(),
            null,
            null,
            APPLICATION,
            "slack:" + c.slackUserId(),
            c.issuer(),
            c.subject(),
            c.accepted() ? null : what + " refused: " + c.refusal()));
  }
}
