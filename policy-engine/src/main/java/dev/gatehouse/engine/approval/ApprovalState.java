package dev.gatehouse.engine.approval;

/** pending → approved | denied | expired | cancelled; approved → used once it ran. */
public enum ApprovalState {
  PENDING,
  APPROVED,
  DENIED,
  EXPIRED,
  CANCELLED,
  USED
}
