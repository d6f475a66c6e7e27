package dev.gatehouse.slack.config;

import java.util.Objects;
import java.util.Set;

/**
 * The identity-provider identity a Slack user acts as: the same issuer and subject the approver's
 * OIDC tokens carry, and the groups the approver policy looks at.
 */
public record ApproverIdentity(String issuer, String subject, Set<String> groups) {

  public ApproverIdentity {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    if (issuer.isBlank() || subject.isBlank()) {
      throw new IllegalArgumentException("an approver identity needs an issuer and a subject");
    }
    groups = Set.copyOf(groups);
  }
}
