package dev.gatehouse.slack;

import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.slack.outbox.SlackOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Slack about approval requests: a new request is posted to the approvers' channel with
 * Approve / Deny buttons; a decision, cancellation or expiry updates that message and tells the
 * requester. It only records what is owed in the outbox and returns, so the approval service never
 * waits for Slack and a Slack outage never loses or blocks a request.
 */
public final class SlackApprovalNotifier implements ApprovalNotifier {

  private static final Logger log = LoggerFactory.getLogger(SlackApprovalNotifier.class);

  private final SlackOutbox outbox;

  public SlackApprovalNotifier(SlackOutbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public void created(ApprovalRequest request) {
    changed(request, false);
  }

  @Override
  public void decided(ApprovalRequest request) {
    changed(request, true);
  }

  @Override
  public void expired(ApprovalRequest request) {
    changed(request, true);
  }

  private void changed(ApprovalRequest request, boolean tellRequester) {
    try {
      outbox.messageChanged(request.id());
      if (tellRequester) {
        outbox.requesterOutcome(request);
      }
    } catch (RuntimeException e) {
      // The outbox's reconciliation finds the request again from the approval service.
      log.warn("could not queue slack notification for request {}: {}", request.id(), e.toString());
    }
  }
}
