package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskingPolicy;
import java.util.List;

/** The sentences of decisions: what was refused and why, what runs and how. */
final class DecisionText {

  private DecisionText() {}

  static String defaultDenial(
      Principal principal, List<Rule> applicable, String database, Rule gapRule, String gap) {
    List<Rule> granting = applicable.stream().filter(r -> r.effect() != Effect.DENY).toList();
    if (granting.isEmpty()) {
      return "denied by `default-deny`: no rule of the policy grants anything to `"
          + principal.subject()
          + "` (issuer `"
          + principal.issuer()
          + "`), so nothing is allowed. Ask the gateway's operator for access";
    }
    if (gapRule == null) {
      return "denied by `default-deny`: the rules that apply to `"
          + principal.subject()
          + "` ("
          + Explain.list(granting.stream().map(Rule::id).toList())
          + ") grant nothing on database `"
          + database
          + "`; nothing was run";
    }
    return "denied by `default-deny`: "
        + gap
        + ". Rule `"
        + gapRule.id()
        + "` allows "
        + gapRule.grantFor(database).map(Grant::summary).orElse("nothing")
        + "; nothing was run";
  }

  /** {@link #defaultDenial}'s reason as data: what the principal or the statement lacked. */
  static Reason defaultReason(
      Principal principal, List<Rule> applicable, String database, RulePolicyEvaluator.Gap gap) {
    String deny = RulePolicyEvaluator.DEFAULT_DENY;
    if (applicable.stream().noneMatch(r -> r.effect() != Effect.DENY)) {
      return Reason.missing(deny, -1, "a rule that grants `" + principal.subject() + "` anything");
    }
    if (gap == null) {
      return Reason.missing(deny, -1, "a grant on database `" + database + "`");
    }
    return Reason.missing(deny, gap.statement(), gap.why());
  }

  static String describe(Rule rule) {
    return rule.description().isBlank() ? "" : " (" + rule.description().strip() + ")";
  }

  static String runs(Grant grant) {
    StringBuilder out = new StringBuilder();
    if (grant.readOnly()) {
      out.append(", read-only");
    }
    if (grant.rowLimit() > 0) {
      out.append(", at most ").append(grant.rowLimit()).append(" rows");
    }
    if (grant.statementTimeout() != null) {
      out.append(", timeout ").append(Durations.format(grant.statementTimeout()));
    }
    return out.toString();
  }

  static String masked(MaskingPolicy masking) {
    if (masking.isEmpty()) {
      return "; no masking applies";
    }
    return "; masking applies: "
        + masking.rules().size()
        + " column rules"
        + (masking.detectors().isEmpty()
            ? ""
            : " and detectors " + Explain.list(masking.detectors()));
  }
}
