package dev.gatehouse.engine.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One rule of the policy.
 *
 * @param effect {@link Effect#ALLOW}: its grants allow what they cover; {@link Effect#DENY}: a
 *     statement matching {@code when} is refused; {@link Effect#REQUIRE_APPROVAL}: a statement
 *     matching {@code when} runs only once approved, under this rule's grants (or, without any,
 *     under the allow rule that covers it)
 * @param approvers for approval rules: who may approve, or null for the policy's approvers
 * @param expiry for approval rules: how long a request waits, or null for the policy's default
 */
public record Rule(
    String id,
    String description,
    Effect effect,
    PrincipalMatch match,
    StatementMatch when,
    List<Grant> grants,
    Approvers approvers,
    Duration expiry) {

  public Rule {
    grants = List.copyOf(grants);
  }

  public Optional<Grant> grantFor(String database) {
    return grants.stream().filter(g -> g.database().equals(database)).findFirst();
  }
}
