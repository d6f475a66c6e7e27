/**
 * Approvals: durable requests in the control database that any gateway instance can decide.
 *
 * <pre>
 * request()  ──► approval_request row (PENDING), audit REQUESTED, notifiers (off-thread)
 * awaitDecision() ──► ApprovalWaiters: registered, then checked; completed by
 *                     ApprovalListener (LISTEN, own connection and thread) on NOTIFY, or by
 *                     polling while that connection is lost, or with the pending request at timeout
 * approve()/deny()  ──► not the requester, not expired, ApproverPolicy says yes;
 *                       UPDATE … WHERE state = 'PENDING' RETURNING + pg_notify, one transaction
 * consume()  ──► same principal, database, SQL and parameters (ApprovalBinding); APPROVED → USED
 *                once; optionally opens a time-boxed window (ApprovalWindows)
 * sweep      ──► every instance expires what is due; one UPDATE wins per row; NOTIFY wakes waiters
 * </pre>
 *
 * <p>Every step, refused attempts included, goes to the audit trail (ApprovalSteps).
 */
package dev.gatehouse.engine.approval;
