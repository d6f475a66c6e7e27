package dev.gatehouse.engine.approval;

/**
 * Tells approvers and requesters about approval requests (log, webhook, Slack). A notifier that
 * fails never loses the request: it stays pending and can be decided from the CLI or API.
 */
public interface ApprovalNotifier {

  void created(ApprovalRequest request);

  void decided(ApprovalRequest request);

  void expired(ApprovalRequest request);
}
