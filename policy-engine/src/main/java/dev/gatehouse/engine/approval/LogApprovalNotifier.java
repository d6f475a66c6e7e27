package dev.gatehouse.engine.approval;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells approvers through the log: enough for a CLI-only setup and for tests. */
public final class LogApprovalNotifier implements ApprovalNotifier {

  private static final Logger log = LoggerFactory.getLogger(LogApprovalNotifier.class);

  @Override
  public void created(ApprovalRequest r) {
    log.info(
        "approval requested: id={} by {} ({}) on database `{}` rules={} expires={}: {}",
        r.id(),
        r.requesterSubject(),
        r.requesterIssuer(),
        r.database(),
        r.ruleIds(),
        r.expiresAt(),
        r.reasons());
  }

  @Override
  public void decided(ApprovalRequest r) {
    log.info(
        "approval {}: id={} by {}{}",
        r.state().name().toLowerCase(java.util.Locale.ROOT),
        r.id(),
        r.decidedBy() == null ? "the gateway" : r.decidedBy(),
        r.decisionReason() == null ? "" : " (" + r.decisionReason() + ")");
  }

  @Override
  public void expired(ApprovalRequest r) {
    log.info("approval expired: id={} at {}", r.id(), r.expiresAt());
  }
}
