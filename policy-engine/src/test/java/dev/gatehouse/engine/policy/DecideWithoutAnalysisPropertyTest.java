package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Deciding without analysis is the same decision as deciding with it: for any principal the
 * reference policy grants nothing on a database (and any untrusted or expired one), the decision
 * without the message equals the full evaluation of every corpus message, text included.
 */
class DecideWithoutAnalysisPropertyTest {

  private static final RulePolicyEvaluator evaluator =
      new RulePolicyEvaluator(ReferencePolicy.load());
  private static final List<Analysis> ANALYSES = analyses();
  private static final List<String> GROUPS =
      List.of("analysts", "etl", "dba", "contractors", "pii-cleared", "finance");

  private static List<Analysis> analyses() {
    List<Analysis> out = new ArrayList<>();
    try (PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer()) {
      for (CorpusCase c : CorpusCase.all()) {
        out.add(analyzer.analyze(c.sql(), AnalysisContext.DEFAULT));
      }
      out.add(
          analyzer.analyze(
              "SELECT " + "(".repeat(300) + "1" + ")".repeat(300), AnalysisContext.DEFAULT));
    }
    return out;
  }

  record Case(Principal principal, RequestContext context) {}

  @Provide
  Arbitrary<Case> cases() {
    String trusted = ReferencePolicy.principal(ReferencePrincipal.ANALYST).issuer();
    Arbitrary<String> issuer = Arbitraries.of(trusted, trusted, "https://elsewhere.example");
    Arbitrary<String> subject = Arbitraries.of("analyst", "contractor", "etl-nightly", "x", "dba");
    Arbitrary<Set<String>> groups = Arbitraries.of(GROUPS).set().ofMaxSize(3);
    Arbitrary<String> clientId = Arbitraries.of("etl-nightly", "other").injectNull(0.5);
    Arbitrary<Boolean> expired = Arbitraries.of(false, false, false, true);
    Arbitrary<String> database = Arbitraries.of("shop", "shop", "other");
    return Combinators.combine(issuer, subject, groups, clientId, expired, database)
        .as(
            (i, s, g, c, e, d) -> {
              Instant now = Instant.now();
              Principal p =
                  new Principal(
                      i,
                      s,
                      c == null ? Principal.Kind.PERSON : Principal.Kind.WORKLOAD,
                      new HashSet<>(g),
                      c,
                      Map.of("sub", s, "repository", "shop/etl-jobs", "ref", "refs/heads/main"),
                      e ? now.minusSeconds(5) : now.plusSeconds(3600));
              return new Case(p, new RequestContext(Channel.WIRE, d, null, null, now));
            });
  }

  @Property(tries = 100)
  void withoutAnalysisEqualsWithAnalysis(@ForAll("cases") Case c) {
    Decision early = evaluator.decideWithoutAnalysis(c.principal(), c.context());
    if (early == null) {
      return;
    }
    for (Analysis a : ANALYSES) {
      assertEquals(early, evaluator.evaluate(c.principal(), a, c.context()), a.sql());
    }
  }

  @Example
  void theContractorIsDecidedWithoutAnalysisAndTheGrantedAreNot() {
    RequestContext shop = new RequestContext(Channel.WIRE, "shop", null, null, Instant.now());
    Decision contractor =
        evaluator.decideWithoutAnalysis(
            ReferencePolicy.principal(ReferencePrincipal.CONTRACTOR), shop);
    assertNotNull(contractor);
    assertEquals(List.of(RulePolicyEvaluator.DEFAULT_DENY), contractor.ruleIds());
    for (ReferencePrincipal granted :
        List.of(
            ReferencePrincipal.ANALYST,
            ReferencePrincipal.ETL_NIGHTLY,
            ReferencePrincipal.SUPPORT_LEAD)) {
      assertNull(
          evaluator.decideWithoutAnalysis(ReferencePolicy.principal(granted), shop),
          granted.name());
    }
  }
}
