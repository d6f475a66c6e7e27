package dev.gatehouse.slack.interaction;

import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.slack.api.SlackApi;
import dev.gatehouse.slack.api.SlackCallException;
import dev.gatehouse.slack.audit.SlackAuditLog;
import dev.gatehouse.slack.identity.SlackIdentityResolver;
import dev.gatehouse.slack.message.DenyModal;
import dev.gatehouse.slack.message.SlackText;
import dev.gatehouse.slack.outbox.SlackOutbox;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does what a verified click asks, off Slack's 3-second clock: identify the clicker, check the
 * request and the approver policy, decide through the approval service (which refuses self-approval
 * and re-checks everything), record the click, and tell the clicker when it was refused.
 */
final class ClickProcessor {

  private static final Logger log = LoggerFactory.getLogger(ClickProcessor.class);

  private final SlackApi slack;
  private final SlackIdentityResolver identities;
  private final ApproverPolicy approvers;
  private final SlackOutbox outbox;
  private final SlackAuditLog audit;
  private final Clock clock;
  private final Supplier<ApprovalService> approvals;

  ClickProcessor(
      SlackApi slack,
      SlackIdentityResolver identities,
      ApproverPolicy approvers,
      SlackOutbox outbox,
      SlackAuditLog audit,
      Clock clock,
      Supplier<ApprovalService> approvals) {
    this.slack = slack;
    this.identities = identities;
    this.approvers = approvers;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.approvals = approvals;
  }

  /** A principal allowed to decide a request that is still open, or the refusal already told. */
  private record Checked(Principal approver, ApprovalRequest request) {}

  void approve(Interaction click, UUID id) {
    Optional<Checked> checked = check(click, id, "approve");
    if (checked.isEmpty()) {
      return;
    }
    Principal approver = checked.get().approver();
    try {
      ApprovalRequest decided = approvals.get().approve(id, approver);
      accepted(click, id, "approve", approver);
      settled(decided);
    } catch (ApprovalException e) {
      refuse(click, id, "approve", approver, e.getMessage());
    }
  }

  void openDeny(Interaction click, UUID id, String triggerId) {
    Optional<Checked> checked = check(click, id, "deny-open");
    if (checked.isEmpty()) {
      return;
    }
    try {
      // trigger_id is valid for 3 seconds after the click, so this goes first.
      slack.call(
          "views.open",
          m ->
              m.viewsOpen(
                  b ->
                      b.triggerId(triggerId)
                          .view(DenyModal.view(checked.get().request(), click.channelId()))));
      accepted(click, id, "deny-open", checked.get().approver());
    } catch (SlackCallException e) {
      refuse(
          click,
          id,
          "deny-open",
          checked.get().approver(),
          "could not open the deny form, try again or use `gatehouse approvals deny`");
    }
  }

  void deny(Interaction click, UUID id, String reason) {
    Optional<Checked> checked = check(click, id, "deny");
    if (checked.isEmpty()) {
      return;
    }
    Principal approver = checked.get().approver();
    try {
      ApprovalRequest decided = approvals.get().deny(id, approver, reason);
      accepted(click, id, "deny", approver);
      settled(decided);
    } catch (ApprovalException e) {
      refuse(click, id, "deny", approver, e.getMessage());
    }
  }

  private Optional<Checked> check(Interaction click, UUID id, String action) {
    Principal approver;
    try {
      switch (identities.resolve(click.userId(), click.teamId())) {
        case SlackIdentityResolver.Result.Mapped m -> approver = m.principal();
        case SlackIdentityResolver.Result.Unmapped u -> {
          refuse(click, id, action, null, "you are not a known approver: " + u.reason());
          return Optional.empty();
        }
      }
    } catch (SlackCallException e) {
      refuse(
          click,
          id,
          action,
          null,
          e.retryable()
              ? "slack could not tell who you are, try again: " + e.getMessage()
              : "slack could not tell who you are: " + e.getMessage());
      return Optional.empty();
    }
    Optional<ApprovalRequest> found = approvals.get().find(id);
    if (found.isEmpty()) {
      refuse(click, id, action, approver, "request `" + id + "` does not exist");
      return Optional.empty();
    }
    ApprovalRequest request = found.get();
    if (request.state() != ApprovalState.PENDING) {
      // Duplicate clicks and late clicks land here; the message is brought up to date too.
      outbox.messageChanged(id);
      refuse(
          click, id, action, approver, "this request is no longer pending: " + settledAs(request));
      return Optional.empty();
    }
    if (!request.expiresAt().isAfter(clock.instant())) {
      outbox.messageChanged(id);
      refuse(click, id, action, approver, "this request expired at " + request.expiresAt());
      return Optional.empty();
    }
    if (request.requesterIssuer().equals(approver.issuer())
        && request.requesterSubject().equals(approver.subject())) {
      refuse(click, id, action, approver, "you cannot decide your own request");
      return Optional.empty();
    }
    if (!approvers.mayApprove(approver, request)) {
      refuse(
          click,
          id,
          action,
          approver,
          "`" + approver.subject() + "` is not an approver for this request");
      return Optional.empty();
    }
    return Optional.of(new Checked(approver, request));
  }

  /** How a request ended, as plain text for the clicker and the audit record. */
  static String settledAs(ApprovalRequest r) {
    String by = r.decidedBy() == null ? "" : " by " + r.decidedBy();
    String at = r.decidedAt() == null ? "" : " at " + r.decidedAt();
    return switch (r.state()) {
      case PENDING -> "pending";
      case APPROVED -> "already approved" + by + at;
      case USED -> "already approved" + by + at + " and run";
      case DENIED -> "already denied" + by + at;
      case EXPIRED -> "expired at " + r.expiresAt();
      case CANCELLED -> "cancelled" + at;
    };
  }

  private void settled(ApprovalRequest decided) {
    outbox.messageChanged(decided.id());
    outbox.requesterOutcome(decided);
  }

  private void accepted(Interaction click, UUID id, String action, Principal approver) {
    audit.click(
        new SlackAuditLog.Click(
            clock.instant(),
            click.userId(),
            click.teamId(),
            action,
            id,
            approver.issuer(),
            approver.subject(),
            null));
  }

  private void refuse(Interaction click, UUID id, String action, Principal approver, String why) {
    audit.click(
        new SlackAuditLog.Click(
            clock.instant(),
            click.userId(),
            click.teamId(),
            action,
            id,
            approver == null ? null : approver.issuer(),
            approver == null ? null : approver.subject(),
            why));
    log.info("slack {} of request {} by {} refused: {}", action, id, click.userId(), why);
    if (click.channelId() == null) {
      return;
    }
    try {
      slack.call(
          "chat.postEphemeral",
          m ->
              m.chatPostEphemeral(
                  b ->
                      b.channel(click.channelId())
                          .user(click.userId())
                          .text(":no_entry: " + SlackText.escape(why))));
    } catch (SlackCallException e) {
      log.warn("could not tell slack user {} why: {}", click.userId(), e.getMessage());
    }
  }
}
