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

  /** One click being processed: who, on what, doing what. */
  private record Attempt(Interaction click, UUID id, String action) {}

  void approve(Interaction click, UUID id) {
    Attempt a = new Attempt(click, id, "approve");
    Optional<Checked> checked = check(a);
    if (checked.isEmpty()) {
      return;
    }
    Principal approver = checked.get().approver();
    try {
      ApprovalRequest decided = approvals.get().approve(id, approver);
      accepted(a, approver, decided);
      settled(decided);
    } catch (ApprovalException e) {
      // The approval service refused (and audited) it, e.g. someone else decided first.
      refuse(a, approver, checked.get().request(), e.getMessage());
    }
  }

  void openDeny(Interaction click, UUID id, String triggerId) {
    Attempt a = new Attempt(click, id, "deny-open");
    Optional<Checked> checked = check(a);
    if (checked.isEmpty()) {
      return;
    }
    ApprovalRequest request = checked.get().request();
    try {
      // trigger_id is valid for 3 seconds after the click, so this goes first.
      slack.call(
          "views.open",
          m ->
              m.viewsOpen(
                  b -> b.triggerId(triggerId).view(DenyModal.view(request, click.channelId()))));
      accepted(a, checked.get().approver(), request);
    } catch (SlackCallException e) {
      refuse(
          a,
          checked.get().approver(),
          request,
          "could not open the deny form, try again or use `gatehouse approvals deny`");
    }
  }

  void deny(Interaction click, UUID id, String reason) {
    Attempt a = new Attempt(click, id, "deny");
    Optional<Checked> checked = check(a);
    if (checked.isEmpty()) {
      return;
    }
    Principal approver = checked.get().approver();
    try {
      ApprovalRequest decided = approvals.get().deny(id, approver, reason);
      accepted(a, approver, decided);
      settled(decided);
    } catch (ApprovalException e) {
      refuse(a, approver, checked.get().request(), e.getMessage());
    }
  }

  private Optional<Checked> check(Attempt a) {
    Principal approver;
    try {
      switch (identities.resolve(a.click().userId(), a.click().teamId())) {
        case SlackIdentityResolver.Result.Mapped m -> approver = m.principal();
        case SlackIdentityResolver.Result.Unmapped u -> {
          refuse(a, null, null, "you are not a known approver: " + u.reason());
          return Optional.empty();
        }
      }
    } catch (SlackCallException e) {
      refuse(
          a,
          null,
          null,
          e.retryable()
              ? "slack could not tell who you are, try again: " + e.getMessage()
              : "slack could not tell who you are: " + e.getMessage());
      return Optional.empty();
    }
    Optional<ApprovalRequest> found = approvals.get().find(a.id());
    if (found.isEmpty()) {
      refuse(a, approver, null, "request `" + a.id() + "` does not exist");
      return Optional.empty();
    }
    ApprovalRequest request = found.get();
    if (request.state() != ApprovalState.PENDING) {
      // Duplicate clicks and late clicks land here; the message is brought up to date too.
      outbox.messageChanged(a.id());
      refuse(a, approver, request, "this request is no longer pending: " + settledAs(request));
      return Optional.empty();
    }
    if (!request.expiresAt().isAfter(clock.instant())) {
      outbox.messageChanged(a.id());
      refuse(a, approver, request, "this request expired at " + request.expiresAt());
      return Optional.empty();
    }
    // The approval service refuses both again; checking here first means a non-approver never
    // sees the deny form, and the refusal names the Slack user in the audit trail.
    if (approver.is(request.requesterIssuer(), request.requesterSubject())) {
      refuse(a, approver, request, "you cannot decide your own request");
      return Optional.empty();
    }
    if (!approvers.mayApprove(approver, request)) {
      refuse(
          a, approver, request, "`" + approver.subject() + "` is not an approver for this request");
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

  private void accepted(Attempt a, Principal approver, ApprovalRequest request) {
    audit.click(
        new SlackAuditLog.Click(
            clock.instant(),
            a.click().userId(),
            a.click().teamId(),
            a.action(),
            a.id(),
            approver.issuer(),
            approver.subject(),
            request,
            null));
  }

  private void refuse(Attempt a, Principal approver, ApprovalRequest request, String why) {
    Interaction click = a.click();
    audit.click(
        new SlackAuditLog.Click(
            clock.instant(),
            click.userId(),
            click.teamId(),
            a.action(),
            a.id(),
            approver == null ? null : approver.issuer(),
            approver == null ? null : approver.subject(),
            request,
            why));
    log.info("slack {} of request {} by {} refused: {}", a.action(), a.id(), click.userId(), why);
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
