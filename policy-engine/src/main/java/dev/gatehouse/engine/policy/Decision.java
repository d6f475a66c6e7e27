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
 * @param reasons the same as data: per rule, what matched and what was missing; never empty when
 *     {@code ruleIds} is not
 */
public record Decision(
    Effect effect,
    List<String> ruleIds,
    String explanation,
    Obligations obligations,
    String policyRevision,
    List<Reason> reasons) {

  public Decision {
    ruleIds = List.copyOf(ruleIds);
    reasons =
        reasons == null || reasons.isEmpty()
            ? ruleIds.stream().map(Reason::rule).toList()
            : List.copyOf(reasons);
  }

  /** A decision whose reasons name only its rules. */
  public Decision(
      Effect effect,
      List<String> ruleIds,
      String explanation,
      Obligations obligations,
      String policyRevision) {
    this(effect, ruleIds, explanation, obligations, policyRevision, List.of());
  }

  public boolean allowed() {
    return effect == Effect.ALLOW;
  }
}
