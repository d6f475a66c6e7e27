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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The facts of an access review for a period: a row per identity that acted or decided in it
 * (approvers included), identities seen before but idle in it, grants no statement used, and the
 * flags an auditor looks at first.
 *
 * @param identities one row per identity active in the period, by subject
 * @param idle identities active before the period and not in it: candidates for removal
 * @param unusedRules ids of allow and approval rules no statement in the period was decided by
 * @param flags what needs a reviewer's attention, most serious first
 */
public record AccessReview(
    Instant from,
    Instant to,
    String policyRevision,
    List<Row> identities,
    List<Idle> idle,
    List<String> unusedRules,
    List<String> flags) {

  /** One identity in the period. */
  public record Row(
      String subject,
      String issuer,
      Instant firstSeen,
      Instant lastSeen,
      long statements,
      Map<String, Long> classes,
      Set<String> tablesRead,
      Set<String> tablesAttempted,
      long rowsRead,
      List<String> maskedColumns,
      long denials,
      ReviewDetails.Approvals approvals) {
    public Row {
      // sorted, so that a report reads (and compares) the same on every run
      classes = java.util.Collections.unmodifiableMap(new TreeMap<>(classes));
      tablesRead = java.util.Collections.unmodifiableSet(new TreeSet<>(tablesRead));
      tablesAttempted = java.util.Collections.unmodifiableSet(new TreeSet<>(tablesAttempted));
    }

    /** Approvals this identity asked for in the period. */
    public long approvalsRequested() {
      return approvals.requested();
    }

    /** Of those, how many an approver granted, and how many an approver denied. */
    public long approvalsGranted() {
      return approvals.granted();
    }

    public long approvalsDenied() {
      return approvals.denied();
    }

    /** Approvals this identity decided for others, granted and denied. */
    public long approvalsGiven() {
      return approvals.decidedGranted();
    }

    public long approvalsRefused() {
      return approvals.decidedDenied();
    }
  }

  /** An identity with activity before the period only. */
  public record Idle(String issuer, String subject, Instant lastSeen) {}

  /** Builds the review of {@code [from, to)} against {@code policy}. */
  public static AccessReview build(
      AuditSearch search,
      DataSource control,
      String schema,
      Policy policy,
      Instant from,
      Instant to)
      throws SQLException {
    Map<String, ReviewDetails.Tables> tables = ReviewDetails.tables(search, from, to);
    Map<String, ReviewDetails.Approvals> approvals =
        ReviewDetails.approvals(control, schema, from, to);
    List<Row> rows = new ArrayList<>();
    Set<String> activeKeys = new HashSet<>();
    for (IdentitySummary s : search.summaries(from, to)) {
      activeKeys.add(s.issuer() + "|" + s.subject());
      var t = tables.getOrDefault(s.subject(), new ReviewDetails.Tables(Set.of(), Set.of()));
      rows.add(
          new Row(
              s.subject(),
              s.issuer(),
              s.firstSeen(),
              s.lastSeen(),
              s.statements(),
              new TreeMap<>(s.statementClasses()),
              new TreeSet<>(t.read()),
              new TreeSet<>(t.attempted()),
              s.rowsRead(),
              s.maskedColumns(),
              s.denials(),
              approvals.getOrDefault(s.subject(), ReviewDetails.Approvals.NONE)));
    }
    // an approver who ran nothing themselves still decided: they get a row
    Set<String> subjects = new HashSet<>();
    rows.forEach(r -> subjects.add(r.subject()));
    approvals.forEach(
        (subject, a) -> {
          if (!subjects.contains(subject)) {
            rows.add(
                new Row(
                    subject, "", null, null, 0, Map.of(), Set.of(), Set.of(), 0, List.of(), 0, a));
          }
        });
    rows.sort(Comparator.comparing(Row::subject));
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
    return new AccessReview(
        from, to, policy.revision(), rows, idle, unused, flags(rows, idle, unused));
  }

  private static List<String> flags(List<Row> rows, List<Idle> idle, List<String> unused) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      Set<String> credential = new TreeSet<>();
      for (String t : r.tablesRead()) {
        if (ReviewDetails.CREDENTIAL_CATALOGS.contains(t)) {
          credential.add(t + " (read)");
        }
      }
      for (String t : r.tablesAttempted()) {
        if (ReviewDetails.CREDENTIAL_CATALOGS.contains(t)) {
          credential.add(t + " (denied)");
        }
      }
      if (!credential.isEmpty()) {
        out.add(
            "`"
                + r.subject()
                + "` reached for a credential catalog: "
                + String.join(", ", credential));
      }
    }
    for (Row r : rows) {
      if (r.denials() > 0) {
        out.add(
            "`"
                + r.subject()
                + "` was denied "
                + r.denials()
                + " statement"
                + (r.denials() == 1 ? "" : "s")
                + (r.tablesRead().isEmpty() && r.statements() == r.denials()
                    ? ", and nothing was allowed"
                    : ""));
      }
    }
    for (Idle i : idle) {
      out.add("`" + i.subject() + "` has no activity in the period; last seen " + i.lastSeen());
    }
    for (String rule : unused) {
      out.add("rule `" + rule + "` granted nothing in the period");
    }
    return out;
  }
}
