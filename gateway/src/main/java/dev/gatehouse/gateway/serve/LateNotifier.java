package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalRequest;

/**
 * Forwards to a notifier made after the engine started: the Slack bot needs the engine's control
 * database and audit trail, while the engine needs its notifiers at start.
 */
final class LateNotifier implements ApprovalNotifier {

  private volatile ApprovalNotifier target;

  void bind(ApprovalNotifier notifier) {
    target = notifier;
  }

  @Override
  public void created(ApprovalRequest request) {
    ApprovalNotifier t = target;
    if (t != null) {
      t.created(request);
    }
  }

  @Override
  public void decided(ApprovalRequest request) {
    ApprovalNotifier t = target;
    if (t != null) {
      t.decided(request);
    }
  }

  @Override
  public void expired(ApprovalRequest request) {
    ApprovalNotifier t = target;
    if (t != null) {
      t.expired(request);
    }
  }
}
