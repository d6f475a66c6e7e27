package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.Analysis;

/**
 * A pure function from a principal, an analysed message and its context to a decision: deny beats
 * require-approval beats allow, and no matching rule denies. An error in evaluation denies.
 */
public interface PolicyEvaluator {

  Decision evaluate(Principal principal, Analysis analysis, RequestContext context);
}
