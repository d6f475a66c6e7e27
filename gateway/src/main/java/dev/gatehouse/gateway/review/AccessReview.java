package dev.gatehouse.gateway.review;

import dev.gatehouse.engine.audit.AuditQuery;
import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.audit.IdentitySummary;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.Rule;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The facts of an access review for a period: what each identity did (from the audit trail's
 * identity summaries), identities seen before but idle in the period, and policy rules that granted
 * nothing in the period.
 *
 * @param identities one summary per identity active in the period
 * @param idle identities active before the period and not in it: candidates for removal
 * @param unusedRules ids of allow and approval rules no statement in the period was decided by
 */
public record AccessReview(
    Instant from,
    Instant to,
    String policyRevision,
    List<IdentitySummary> identities,
    List<Idle> idle,
    List<String> unusedRules) {

  /** An identity with activity before the period only. */
  public record Idle(String issuer, String subject, Instant lastSeen) {}

  /** Builds the review of {@code [from, to)} against {@code policy}. */
  public static AccessReview build(AuditSearch search, Policy policy, Instant from, Instant to)
      throws SQLException {
    List<IdentitySummary> active = new ArrayList<>(search.summaries(from, to));
    active.sort(Comparator.comparing(IdentitySummary::subject));
    Set<String> activeKeys = new HashSet<>();
    for (IdentitySummary s : active) {
      activeKeys.add(s.issuer() + "|" + s.subject());
    }
    List<Idle> idle = new ArrayList<>();
    for (IdentitySummary s : search.summaries(Instant.EPOCH, from)) {
      if (!activeKeys.contains(s.issuer() + "|" + s.subject())) {
        idle.add(new Idle(s.issuer(), s.subject(), s.lastSeen()));
      }
    }
    idle.sort(Comparator.comparing(Idle::subject));
    List<String> unused = new ArrayList<>();
    for (Rule rule : policy.rules()) {
      if (rule.effect() == Effect.DENY) {
        continue;
      }
      var page = search.search(AuditQuery.all().ruleId(rule.id()).between(from, to).page(1, null));
      if (page.items().isEmpty()) {
        unused.add(rule.id());
      }
    }
    return new AccessReview(from, to, policy.revision(), active, idle, unused);
  }
}
