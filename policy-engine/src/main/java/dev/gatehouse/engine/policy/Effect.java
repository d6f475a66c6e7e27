package dev.gatehouse.engine.policy;

/** The outcome of a decision; deny beats require-approval beats allow. */
public enum Effect {
  ALLOW,
  REQUIRE_APPROVAL,
  DENY
}
