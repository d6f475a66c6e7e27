/**
 * Slack approvals: approvers approve or deny held statements from a Slack message.
 *
 * <pre>
 * ApprovalService.request ─► SlackApprovalNotifier ─► SlackOutbox (SlackStore) ─► chat.postMessage
 *
 * POST /slack/interactions ─► SlackInteractionHandler
 *   1. SlackSignature: v0=HMAC-SHA256(v0:ts:body), 5-minute window   (401 + audit otherwise)
 *   2. answer 200 at once; the rest runs on the click executor
 *   3. SlackIdentityResolver: explicit map, or users.info e-mail → directory → Principal
 *   4. ClickProcessor: request still open? approver policy? not the requester?
 *   5. ApprovalService.approve / deny (checks everything again, audits the decision)
 *   6. SlackAuditLog records the click; the outbox updates the message and tells the requester
 * </pre>
 *
 * <p>Slack is only a view: requests live in the approval service, so an outage delays messages and
 * never loses or blocks a request. See {@code docs/slack.md} and ADR 0008.
 */
package dev.gatehouse.slack;
