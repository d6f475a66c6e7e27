package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskedDataUse;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides by the rules of one {@link Policy}. A message is judged as a whole: one statement that is
 * denied denies it, and it runs under one grant (one upstream role) or not at all.
 *
 * <p>The order of precedence, as Cedar has it: a matching deny rule wins; otherwise a matching
 * approval rule whose grant covers the message requires approval; otherwise an allow rule whose
 * grant covers every statement allows; otherwise {@code default-deny}.
 */
public final class RulePolicyEvaluator implements PolicyEvaluator {

  /** The id of the implicit last rule. */
  public static final String DEFAULT_DENY = "default-deny";

  /** The id of a denial because output lineage is unknown and the policy says deny. */
  public static final String OPAQUE_LINEAGE = "masking-opaque-lineage";

  /** The id of a denial because a cursor's rows cannot be masked. */
  public static final String MASKED_CURSOR = "masking-cursor";

  /** The id of a denial because evaluation itself failed. */
  public static final String EVALUATION_ERROR = "evaluation-error";

  private static final Logger log = LoggerFactory.getLogger(RulePolicyEvaluator.class);

  private final Policy policy;

  public RulePolicyEvaluator(Policy policy) {
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  /** One policy, never changed: its decisions hold as long as this evaluator is the one used. */
  @Override
  public Object generation() {
    return this;
  }

  @Override
  public TaintSettings taint() {
    return policy.taint();
  }

  @Override
  public Decision evaluate(Principal principal, Analysis analysis, RequestContext context) {
    try {
      Reason untrusted = untrusted(principal, context);
      if (untrusted != null) {
        return deny(List.of(untrusted), untrustedText(principal, untrusted));
      }
      return decide(principal, analysis, context.database());
    } catch (RuntimeException e) {
      // An error in evaluation denies: a policy that cannot be evaluated allows nothing.
      log.error("policy evaluation failed; the statement is denied", e);
      return deny(
          List.of(Reason.rule(EVALUATION_ERROR)),
          "denied: the policy could not be evaluated for this statement; nothing was run."
              + " Report this to the gateway's operator");
    }
  }

  /**
   * Decides without the message when no rule could look at it: the principal is untrusted, or every
   * rule that applies to it is an allow rule without a grant on this database (in {@link #decide}
   * no deny or approval rule then reads a statement, and no allow rule has a grant to cover one, so
   * the result is {@code default-deny} with a text that names only the principal and the rules).
   */
  @Override
  public Decision decideWithoutAnalysis(Principal principal, RequestContext context) {
    try {
      Reason untrusted = untrusted(principal, context);
      if (untrusted != null) {
        return deny(List.of(untrusted), untrustedText(principal, untrusted));
      }
      String database = context.database();
      List<Rule> applicable =
          policy.rules().stream().filter(r -> r.match().matches(principal)).toList();
      boolean nothingReads =
          applicable.stream()
              .allMatch(r -> r.effect() == Effect.ALLOW && r.grantFor(database).isEmpty());
      if (!nothingReads) {
        return null;
      }
      return deny(
          List.of(DecisionText.defaultReason(principal, applicable, database, null)),
          DecisionText.defaultDenial(principal, applicable, database, null, null));
    } catch (RuntimeException e) {
      // Whatever failed here, the full evaluation decides (and denies if it fails too).
      log.warn("deciding without analysis failed; analysing instead: {}", e.toString());
      return null;
    }
  }

  /**
   * A principal the policy's issuers did not vouch for, or whose token has expired, gets nothing.
   */
  private Reason untrusted(Principal principal, RequestContext context) {
    boolean trusted =
        policy.issuers().isEmpty()
            || policy.issuers().stream().anyMatch(i -> i.issuer().equals(principal.issuer()));
    if (!trusted) {
      return Reason.missing(DEFAULT_DENY, -1, UNTRUSTED_ISSUER);
    }
    if (context.now() != null && principal.isExpired(context.now())) {
      return Reason.missing(DEFAULT_DENY, -1, EXPIRED_TOKEN);
    }
    return null;
  }

  private static final String UNTRUSTED_ISSUER = "an issuer the policy trusts";
  private static final String EXPIRED_TOKEN = "a token that has not expired";

  private static String untrustedText(Principal principal, Reason reason) {
    return reason.missing().equals(UNTRUSTED_ISSUER)
        ? "denied by `default-deny`: the policy does not trust issuer `"
            + principal.issuer()
            + "`; nothing was run. Sign in through a trusted issuer"
        : "denied by `default-deny`: the token of `"
            + principal.subject()
            + "` has expired; nothing was run. Get a new token";
  }

  private Decision decide(Principal principal, Analysis analysis, String database) {
    List<Rule> applicable =
        policy.rules().stream().filter(r -> r.match().matches(principal)).toList();
    List<StatementInfo> statements = analysis.statements();

    // 1. Forbid beats permit: any deny rule that matches any statement denies the message.
    List<Reason> denied = new ArrayList<>();
    String denyReason = null;
    for (Rule rule : applicable) {
      if (rule.effect() != Effect.DENY) {
        continue;
      }
      for (int i = 0; i < statements.size(); i++) {
        String why = rule.when().reason(statements.get(i), database);
        if (why != null) {
          denied.add(Reason.matched(rule.id(), i, why));
          if (denyReason == null) {
            denyReason =
                "denied by rule `"
                    + rule.id()
                    + "`: "
                    + Explain.statement(statements.get(i), i, statements.size())
                    + " is refused because "
                    + why
                    + DecisionText.describe(rule)
                    + ". Nothing was run";
          }
          break;
        }
      }
    }
    if (!denied.isEmpty()) {
      return deny(denied, denyReason);
    }

    MaskingPolicy masking = policy.masking().forPrincipal(principal);

    // 2. The first allow rule whose grant covers every statement.
    Rule allowRule = null;
    Grant allowGrant = null;
    Gap gap = null;
    Rule gapRule = null;
    for (Rule rule : applicable) {
      if (rule.effect() != Effect.ALLOW) {
        continue;
      }
      Grant grant = rule.grantFor(database).orElse(null);
      if (grant == null) {
        continue;
      }
      Gap uncovered = firstGap(grant, statements, Set.of());
      if (uncovered == null) {
        allowRule = rule;
        allowGrant = grant;
        break;
      }
      if (gap == null) {
        gap = uncovered;
        gapRule = rule;
      }
    }

    // 3. Approval beats allow: a statement an approval rule names waits for a person.
    List<Rule> approvalRules = new ArrayList<>();
    List<Reason> approvalReasons = new ArrayList<>();
    String approvalWhy = null;
    for (Rule rule : applicable) {
      if (rule.effect() != Effect.REQUIRE_APPROVAL) {
        continue;
      }
      for (int i = 0; i < statements.size(); i++) {
        String why = rule.when().reason(statements.get(i), database);
        if (why != null) {
          approvalRules.add(rule);
          approvalReasons.add(Reason.matched(rule.id(), i, why));
          if (approvalWhy == null) {
            approvalWhy =
                Explain.statement(statements.get(i), i, statements.size()) + " (" + why + ")";
          }
          break;
        }
      }
    }
    if (!approvalRules.isEmpty()) {
      Gap approvalGap = null;
      for (int k = 0; k < approvalRules.size(); k++) {
        Rule rule = approvalRules.get(k);
        Grant grant = rule.grantFor(database).orElse(allowGrant);
        if (grant == null) {
          continue;
        }
        Gap uncovered = firstGap(grant, statements, rule.when().riskFlags());
        if (uncovered == null) {
          return opaque(
              approval(rule, grant, masking, approvalWhy, approvalReasons.get(k)),
              analysis,
              masking);
        }
        if (approvalGap == null) {
          approvalGap = uncovered;
        }
      }
      Gap missing = approvalGap;
      return deny(
          approvalReasons.stream()
              .map(
                  r ->
                      missing == null
                          ? new Reason(
                              r.ruleId(),
                              r.statement(),
                              r.matched(),
                              "a grant on database `" + database + "`")
                          : new Reason(r.ruleId(), r.statement(), r.matched(), missing.why()))
              .toList(),
          "denied: "
              + approvalWhy
              + " needs approval under rule `"
              + approvalRules.getFirst().id()
              + "`, but even with approval it is not granted"
              + (approvalGap == null
                  ? " on database `" + database + "`"
                  : ": " + approvalGap.text())
              + ". Nothing was run");
    }

    if (allowRule != null) {
      return opaque(allow(allowRule, allowGrant, masking), analysis, masking);
    }

    // 4. No rule allows it.
    return deny(
        List.of(DecisionText.defaultReason(principal, applicable, database, gap)),
        DecisionText.defaultDenial(
            principal, applicable, database, gapRule, gap == null ? null : gap.text()));
  }

  /** What a grant does not cover: the statement, the grant's own words, and both as a sentence. */
  record Gap(int statement, String why, String text) {}

  /** The first statement the grant does not cover, explained; null when it covers them all. */
  private static Gap firstGap(Grant grant, List<StatementInfo> statements, Set<RiskFlag> accepted) {
    for (int i = 0; i < statements.size(); i++) {
      String why = grant.uncovered(statements.get(i), accepted);
      if (why != null) {
        return new Gap(
            i,
            why,
            Explain.statement(statements.get(i), i, statements.size()) + " is not allowed: " + why);
      }
    }
    return null;
  }

  private Decision allow(Rule rule, Grant grant, MaskingPolicy masking) {
    String text =
        "allowed by rule `"
            + rule.id()
            + "`: runs on `"
            + grant.database()
            + "` as upstream role `"
            + grant.upstreamRole()
            + "`"
            + DecisionText.runs(grant)
            + DecisionText.masked(masking);
    return new Decision(
        Effect.ALLOW,
        List.of(rule.id()),
        text,
        obligations(grant, masking),
        policy.revision(),
        List.of(Reason.matched(rule.id(), -1, grant.summary())));
  }

  private Decision approval(
      Rule rule, Grant grant, MaskingPolicy masking, String why, Reason reason) {
    Approvers approvers = rule.approvers() != null ? rule.approvers() : policy.approvers();
    String text =
        "needs approval under rule `"
            + rule.id()
            + "`: "
            + why
            + ". It runs only after "
            + approvers
            + " approves it (never the requester); the request expires after "
            + Durations.format(policy.approvalExpiry(List.of(rule.id())))
            + ". Once approved it runs as upstream role `"
            + grant.upstreamRole()
            + "`"
            + DecisionText.runs(grant);
    return new Decision(
        Effect.REQUIRE_APPROVAL,
        List.of(rule.id()),
        text,
        obligations(grant, masking),
        policy.revision(),
        List.of(reason));
  }

  /** Output whose lineage is unknown is denied when the policy says so and masking applies. */
  private Decision opaque(Decision decision, Analysis analysis, MaskingPolicy masking) {
    if (masking.denyOpaqueLineage()
        && !masking.isEmpty()
        && analysis.riskFlags().contains(RiskFlag.OPAQUE_LINEAGE)) {
      return deny(
          List.of(Reason.missing(OPAQUE_LINEAGE, -1, "the source columns of the result")),
          "denied: the result's columns cannot be traced to their source columns, and the policy"
              + " denies output whose masking cannot be decided. Select the columns by name from the"
              + " tables instead");
    }
    // What the statement does with masked data besides returning it: inference, writes, catalog.
    MaskedDataUse.Refusal refusal = MaskedDataUse.check(analysis, masking);
    if (refusal != null) {
      return deny(List.of(Reason.rule(refusal.ruleId())), refusal.explanation());
    }
    // FETCH from a cursor the front end did not see declared returns rows whose lineage is unknown,
    // and detectors alone cannot recognise every masked column (an SSN is no card number or
    // e-mail). A cursor declared in the session is analysed as its query (no such flag).
    if (!masking.isEmpty()
        && analysis.statements().stream()
            .anyMatch(
                s ->
                    s.commandTag().equals("FETCH")
                        && s.riskFlags().contains(RiskFlag.OPAQUE_LINEAGE))) {
      return deny(
          List.of(Reason.missing(MASKED_CURSOR, -1, "the cursor's declaration in this session")),
          "denied: rows fetched from a cursor the gateway did not see declared in this session"
              + " cannot be masked, and masking applies to you; nothing was run. Declare the cursor"
              + " through the gateway (DECLARE ... CURSOR FOR ...), or run its SELECT directly");
    }
    return decision;
  }

  private static Obligations obligations(Grant grant, MaskingPolicy masking) {
    return new Obligations(
        grant.upstreamRole(),
        grant.readOnly(),
        grant.rowLimit(),
        grant.statementTimeout(),
        masking,
        grant.maxRowsAffected());
  }

  private Decision deny(List<Reason> reasons, String explanation) {
    return new Decision(
        Effect.DENY,
        reasons.stream().map(Reason::ruleId).distinct().toList(),
        explanation,
        Obligations.NONE,
        policy.revision(),
        reasons);
  }
}
