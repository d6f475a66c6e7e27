package dev.gatehouse.engine.policy;

import java.util.List;

/**
 * The answer of the policy engine for one message.
 *
 * @param effect allow, require approval, or deny
 * @param ruleIds the ids of the rules that produced the effect (for a default deny: {@code
 *     default-deny})
 * @param explanation one paragraph a person, a CI log or an agent can act on
 * @param obligations what the front end must do if it runs the statement
 * @param policyRevision the revision of the policy that decided
 */
public record Decision(
    Effect effect,
    List<String> ruleIds,
    String explanation,
    Obligations obligations,
    String policyRevision) {

  public Decision {
    ruleIds = List.copyOf(ruleIds);
  }

  public boolean allowed() {
    return effect == Effect.ALLOW;
  }
}
