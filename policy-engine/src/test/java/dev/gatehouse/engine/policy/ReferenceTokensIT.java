package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference policy's issuer section drives the real verifier against the real test issuer, and
 * the principals it makes of real tokens get the reference decisions.
 */
class ReferenceTokensIT {

  @Test
  void realTokensGetTheReferenceDecisions() throws Exception {
    Policy policy = ReferencePolicy.load();
    JwtTokenVerifier verifier = new JwtTokenVerifier(policy.issuers());
    RulePolicyEvaluator evaluator = new RulePolicyEvaluator(policy);
    RequestContext shop = new RequestContext(Channel.MCP, "shop", "it", "127.0.0.1", Instant.now());
    try (PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer()) {
      record Case(ReferencePrincipal who, String sql, Effect effect, boolean masked) {}
      List<Case> cases =
          List.of(
              new Case(
                  ReferencePrincipal.ANALYST, "SELECT ssn FROM app.customers", Effect.ALLOW, true),
              new Case(
                  ReferencePrincipal.SUPPORT_LEAD,
                  "SELECT ssn FROM app.customers",
                  Effect.ALLOW,
                  false),
              new Case(
                  ReferencePrincipal.ETL_NIGHTLY,
                  "DELETE FROM app.orders",
                  Effect.REQUIRE_APPROVAL,
                  true),
              new Case(
                  ReferencePrincipal.ETL_NIGHTLY,
                  "UPDATE app.payments SET status = 'x' WHERE id = 1",
                  Effect.ALLOW,
                  true),
              new Case(ReferencePrincipal.DBA, "SELECT 1", Effect.DENY, false),
              new Case(ReferencePrincipal.CONTRACTOR, "SELECT 1", Effect.DENY, false));
      for (Case c : cases) {
        Principal p = verifier.verify(TestIssuer.get().tokenFor(c.who()));
        assertEquals(TestIssuer.get().issuerUrl(), p.issuer());
        Decision d =
            evaluator.evaluate(p, analyzer.analyze(c.sql(), AnalysisContext.DEFAULT), shop);
        assertEquals(c.effect(), d.effect(), () -> c + ": " + d.explanation());
        assertEquals(c.masked(), !d.obligations().masking().rules().isEmpty(), c::toString);
      }
      Principal etl = verifier.verify(TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY));
      assertEquals(Principal.Kind.WORKLOAD, etl.kind());
      assertEquals("etl-nightly", etl.clientId());
      assertTrue(etl.groups().contains("etl"));
    }
  }
}
