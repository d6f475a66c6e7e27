package dev.gatehouse.gateway.check;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What {@code policy check} shares between one statement and a corpus. */
public final class CheckSupport {

  private CheckSupport() {}

  public static String onlyDatabase(Policy policy) {
    if (policy.databases().size() != 1) {
      throw new IllegalArgumentException(
          "the policy has several databases; name one with `--database`");
    }
    return policy.databases().keySet().iterator().next();
  }

  /**
   * The principal the token verifier makes of a reference principal's token from the policy's first
   * issuer: its subject and groups, and for the ETL job its client-credentials claims.
   */
  public static Principal referencePrincipal(Policy policy, String name) {
    ReferencePrincipal p = ReferencePrincipal.of(name);
    if (policy.issuers().isEmpty()) {
      throw new IllegalArgumentException("the policy trusts no issuer");
    }
    Map<String, Object> claims = new HashMap<>();
    claims.put("sub", p.subject());
    claims.put("groups", p.groups());
    claims.put("aud", policy.issuers().get(0).audiences());
    if (p.workload()) {
      claims.put("client_id", p.subject());
      claims.put("repository", "shop/etl-jobs");
      claims.put("ref", "refs/heads/main");
    } else {
      claims.put("email", p.subject() + "@shop.example");
      claims.put("name", p.subject());
    }
    return new Principal(
        policy.issuers().get(0).issuer(),
        p.subject(),
        p.workload() ? Principal.Kind.WORKLOAD : Principal.Kind.PERSON,
        Set.copyOf(p.groups()),
        p.workload() ? p.subject() : null,
        claims,
        Instant.now().plusSeconds(3600));
  }

  public static void print(PrintWriter out, Principal principal, Analysis analysis, Decision d) {
    out.println("principal:   " + principal.subject() + " (" + principal.issuer() + ")");
    out.println("             groups " + new TreeSet<>(principal.groups()));
    out.println("decision:    " + d.effect());
    out.println("rules:       " + String.join(", ", d.ruleIds()));
    out.println("explanation: " + d.explanation());
    // The same reasons as data, one line each: rule, statement, what matched, what was missing.
    for (int i = 0; i < d.reasons().size(); i++) {
      out.println((i == 0 ? "reasons:     " : "             ") + d.reasons().get(i).line());
    }
    Obligations o = d.obligations();
    if (d.effect() != Effect.DENY) {
      out.println(
          "obligations: run as "
              + o.upstreamRole()
              + (o.readOnly() ? ", read-only" : "")
              + (o.rowLimit() > 0 ? ", at most " + o.rowLimit() + " rows" : "")
              + (o.statementTimeout() != null ? ", timeout " + o.statementTimeout() : ""));
      printMasks(out, analysis.outputColumns(), o.masking());
    }
    out.flush();
  }

  private static void printMasks(PrintWriter out, List<OutputColumn> columns, MaskingPolicy m) {
    if (columns.isEmpty()) {
      return;
    }
    out.println("mask plan:");
    for (OutputColumn c : columns) {
      String plan;
      if (c.opaque()) {
        plan = "lineage unknown: " + (m.denyOpaqueLineage() ? "denied" : "content detectors");
      } else {
        plan = null;
        for (ColumnRef source : c.sources()) {
          MaskRule rule = m.ruleFor(source);
          if (rule != null) {
            plan =
                "masked by rule `"
                    + rule.id()
                    + "` ("
                    + rule.strategy().name().toLowerCase(Locale.ROOT)
                    + ") from "
                    + source.qualified();
            break;
          }
        }
        if (plan == null) {
          plan =
              m.detectors().isEmpty()
                  ? "clear"
                  : "clear unless a detector fires "
                      + new TreeSet<>(m.detectors().stream().map(Enum::name).toList());
        }
      }
      out.println("  " + c.name() + ": " + plan);
    }
  }
}
