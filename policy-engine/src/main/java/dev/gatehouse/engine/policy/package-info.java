/**
 * Policy: the YAML file, its validation, and the pure decision function.
 *
 * <pre>
 *   policy.yaml ──► PolicyLoader (yaml.YamlTree, yaml.YamlObject: errors name file, line, field)
 *                      ▼
 *                   Policy (issuers, databases and upstream roles, rules, approvers, masking)
 *                      ▼
 *   (Principal, Analysis, RequestContext) ──► RulePolicyEvaluator ──► Decision
 *        1. a deny rule that matches any statement       → DENY
 *        2. an approval rule whose grant covers it all   → REQUIRE_APPROVAL
 *        3. the first allow rule whose grant covers all  → ALLOW (obligations of that grant)
 *        4. otherwise                                    → DENY, rule default-deny
 * </pre>
 *
 * <p>{@link dev.gatehouse.engine.policy.PolicyHolder} keeps the policy in force and reloads it when
 * the file changes; {@link dev.gatehouse.engine.approval.PolicyApprovers} answers who may approve
 * (docs/adr/0003-policy-decisions.md, examples/reference-policy.yaml).
 */
package dev.gatehouse.engine.policy;
