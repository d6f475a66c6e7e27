package dev.gatehouse.engine.approval;

/** An approval operation was refused (self-approval, not an approver, expired, already used...). */
public final class ApprovalException extends Exception {
  public ApprovalException(String message) {
    super(message);
  }
}
