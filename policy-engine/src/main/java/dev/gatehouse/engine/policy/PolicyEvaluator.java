package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.Analysis;

/**
 * A pure function from a principal, an analysed message and its context to a decision: deny beats
 * require-approval beats allow, and no matching rule denies. An error in evaluation denies.
 */
public interface PolicyEvaluator {

  Decision evaluate(Principal principal, Analysis analysis, RequestContext context);

  /**
   * The decision when it cannot depend on the message (a principal the policy grants nothing on the
   * database, an untrusted issuer, an expired token), so that the message need not be analysed;
   * null when it must be. When not null it equals {@link #evaluate} for every analysis.
   */
  default Decision decideWithoutAnalysis(Principal principal, RequestContext context) {
    return null;
  }

  /**
   * An object that stays the same ({@code ==}) as long as this evaluator decides every input as it
   * did (the policy in force), so decisions may be kept while it does; null when decisions must not
   * be kept.
   */
  default Object generation() {
    return null;
  }

  /** Which sessions have their writes held after reading untrusted text; none by default. */
  default TaintSettings taint() {
    return TaintSettings.NONE;
  }
}
