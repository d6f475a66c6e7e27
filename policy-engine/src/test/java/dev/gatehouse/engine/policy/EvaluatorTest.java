package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Precedence and the defaults that no rule can loosen by accident. */
class EvaluatorTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();

  private static final String POLICY =
      """
      databases:
        db:
          host: 127.0.0.1
          roles:
            r: {user: r, password: "${env:PW}"}
            w: {user: w, password: "${env:PW}"}
      approvals:
        approvers: {groups: [dba]}
        expiry: 10m
      rules:
        - id: readers
          match: {groups: [readers]}
          grants:
            - database: db
              classes: [read, session, transaction]
              read: ["app.*", "pg_catalog.*"]
              functions: ["*", "pg_sleep"]
              settings: [search_path]
              upstreamRole: r
              readOnly: true
              rowLimit: 100
              statementTimeout: 5s
        - id: writers
          match: {groups: [writers]}
          grants:
            - database: db
              classes: [read, write]
              read: ["app.*"]
              write: ["app.*"]
              upstreamRole: w
        - id: writers-big-changes
          effect: require-approval
          match: {groups: [writers]}
          when: {riskFlags: [no_where]}
        - id: nobody-touches-secrets
          effect: deny
          match: {subjects: ["*"]}
          when: {reads: [app.secrets], writes: [app.secrets]}
        - id: writers-never-drop
          effect: deny
          match: {groups: [writers]}
          when: {classes: [ddl]}
        - id: tenant-claim
          match: {claims: {"org.tenant": "acme-*"}}
          grants:
            - database: db
              classes: [read]
              read: [app.tenant]
              upstreamRole: r
      """;

  private static final Policy policy =
      new PolicyLoader(Map.of("PW", "x")::get)
          .parse(Path.of("test.yaml"), POLICY.getBytes(StandardCharsets.UTF_8));
  private static final RulePolicyEvaluator evaluator = new RulePolicyEvaluator(policy);

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static Principal person(String subject, String... groups) {
    return new Principal(
        "https://issuer",
        subject,
        Principal.Kind.PERSON,
        Set.of(groups),
        null,
        Map.of(),
        Instant.MAX);
  }

  private static Decision decide(Principal p, String sql) {
    return evaluator.evaluate(
        p,
        analyzer.analyze(sql, AnalysisContext.DEFAULT),
        new RequestContext(Channel.MCP, "db", null, null, Instant.now()));
  }

  @Test
  void allowCarriesTheGrantsObligations() {
    Decision d = decide(person("ann", "readers"), "SELECT * FROM app.orders");
    assertEquals(Effect.ALLOW, d.effect());
    assertEquals(List.of("readers"), d.ruleIds());
    assertEquals("r", d.obligations().upstreamRole());
    assertTrue(d.obligations().readOnly());
    assertEquals(100, d.obligations().rowLimit());
    assertEquals(Duration.ofSeconds(5), d.obligations().statementTimeout());
    assertEquals(policy.revision(), d.policyRevision());
    assertTrue(d.explanation().contains("allowed by rule `readers`"), d.explanation());
  }

  @Test
  void denyBeatsApprovalBeatsAllow() {
    Principal w = person("wes", "writers");
    assertEquals(Effect.ALLOW, decide(w, "DELETE FROM app.orders WHERE id = 1").effect());
    Decision approval = decide(w, "DELETE FROM app.orders");
    assertEquals(Effect.REQUIRE_APPROVAL, approval.effect());
    assertEquals(List.of("writers-big-changes"), approval.ruleIds());
    assertEquals("w", approval.obligations().upstreamRole());
    assertTrue(approval.explanation().contains("a member of `dba`"), approval.explanation());
    assertTrue(approval.explanation().contains("expires after 10m"), approval.explanation());
    Decision denied = decide(w, "DELETE FROM app.secrets");
    assertEquals(Effect.DENY, denied.effect());
    assertEquals(List.of("nobody-touches-secrets"), denied.ruleIds());
    assertEquals(Obligations.NONE, denied.obligations());
    Decision stacked = decide(w, "DELETE FROM app.orders; DROP TABLE app.orders");
    assertEquals(Effect.DENY, stacked.effect());
    assertEquals(List.of("writers-never-drop"), stacked.ruleIds());
  }

  @Test
  void noMatchingRuleIsDefaultDeny() {
    Decision d = decide(person("carl", "contractors"), "SELECT 1");
    assertEquals(Effect.DENY, d.effect());
    assertEquals(List.of("default-deny"), d.ruleIds());
    assertTrue(
        d.explanation().contains("no rule of the policy grants anything to `carl`"),
        d.explanation());
    Decision otherDb =
        evaluator.evaluate(
            person("ann", "readers"),
            analyzer.analyze("SELECT 1", AnalysisContext.DEFAULT),
            new RequestContext(Channel.WIRE, "other", null, null, Instant.now()));
    assertEquals(List.of("default-deny"), otherDb.ruleIds());
  }

  @Test
  void explanationSaysWhatWasRefusedAndWhatIsAllowed() {
    Decision d = decide(person("ann", "readers"), "SELECT 1; DELETE FROM app.orders WHERE id = 1");
    assertEquals(Effect.DENY, d.effect());
    assertTrue(
        d.explanation().contains("`DELETE` (statement 2) is not allowed: it is a write statement"),
        d.explanation());
    assertTrue(
        d.explanation()
            .contains(
                "Rule `readers` allows `read`, `session`, `transaction` statements, reading `app.*`, `pg_catalog.*` on `db`"),
        d.explanation());
  }

  @Test
  void aMessageRunsUnderOneGrantOrNotAtAll() {
    // Each statement alone is allowed (by different rules), together they are not.
    Principal both = person("bo", "readers", "writers");
    assertEquals(Effect.ALLOW, decide(both, "SET search_path = app").effect());
    assertEquals(Effect.ALLOW, decide(both, "INSERT INTO app.orders (id) VALUES (1)").effect());
    assertEquals(
        Effect.DENY,
        decide(both, "SET search_path = app; INSERT INTO app.orders (id) VALUES (1)").effect());
  }

  @Test
  void dangerousFunctionsNeedTheirExactName() {
    Principal ann = person("ann", "readers");
    // `*` grants every ordinary function, but not pg_read_file; `pg_sleep` is named, so it is
    // granted.
    assertEquals(Effect.ALLOW, decide(ann, "SELECT app.f(1), upper('x')").effect());
    assertEquals(Effect.DENY, decide(ann, "SELECT pg_read_file('/etc/passwd')").effect());
    assertEquals(Effect.ALLOW, decide(ann, "SELECT pg_sleep(1)").effect());
    // alone and with constants, set_config is the SET it spells (judged by `settings`); anywhere
    // else, or until the end of the transaction only, it is the dangerous function
    assertEquals(
        Effect.ALLOW, decide(ann, "SELECT set_config('search_path', 'app', false)").effect());
    assertEquals(
        Effect.DENY, decide(ann, "SELECT set_config('search_path', 'app', true)").effect());
    assertEquals(
        Effect.DENY,
        decide(ann, "SELECT set_config('search_path', 'app', false) FROM app.t").effect());
  }

  @Test
  void credentialCatalogsNeedTheirExactName() {
    Principal ann = person("ann", "readers");
    assertEquals(Effect.ALLOW, decide(ann, "SELECT * FROM pg_class").effect());
    Decision d = decide(ann, "SELECT * FROM pg_catalog.pg_authid");
    assertEquals(Effect.DENY, d.effect());
    assertTrue(d.explanation().contains("it reads `pg_catalog.pg_authid`"), d.explanation());
  }

  @Test
  void protectedSettingsAndTheSearchPath() {
    Principal ann = person("ann", "readers");
    assertEquals(Effect.ALLOW, decide(ann, "SET search_path = app, pg_catalog").effect());
    assertEquals(Effect.ALLOW, decide(ann, "SET application_name = 'x'").effect());
    assertEquals(Effect.DENY, decide(ann, "SET search_path = evil").effect());
    assertEquals(Effect.DENY, decide(ann, "SET search_path = 'app, evil'").effect());
    assertEquals(Effect.DENY, decide(ann, "SET ROLE postgres").effect());
    // row_security off only turns a filtered read into an error; other values are unknown
    assertEquals(Effect.ALLOW, decide(ann, "SET row_security = off").effect());
    assertEquals(Effect.DENY, decide(ann, "SET row_security = force").effect());
    assertEquals(Effect.DENY, decide(ann, "RESET ALL").effect());
    assertEquals(Effect.DENY, decide(ann, "SET standard_conforming_strings = off").effect());
    assertEquals(Effect.DENY, decide(ann, "BEGIN READ WRITE").effect());
    assertEquals(Effect.ALLOW, decide(ann, "BEGIN READ ONLY").effect());
  }

  @Test
  void failClosedFlagsDeny() {
    Principal ann = person("ann", "readers");
    for (String sql :
        List.of(
            "SELEKT 1",
            "DO $$ BEGIN NULL; END $$",
            // a statement the session did not prepare through the gateway
            "EXECUTE p(1)",
            "COPY app.t TO '/tmp/x'",
            "EXPLAIN ANALYZE SELECT 1")) {
      Decision d = decide(ann, sql);
      assertEquals(Effect.DENY, d.effect(), sql);
      assertEquals(List.of("default-deny"), d.ruleIds(), sql);
    }
    // PREPARE is judged as the statement it prepares
    assertEquals(Effect.ALLOW, decide(ann, "PREPARE p AS SELECT 1").effect());
  }

  @Test
  void claimsMatchByDottedPathAndGlob() {
    Principal acme =
        new Principal(
            "https://issuer",
            "job",
            Principal.Kind.WORKLOAD,
            Set.of(),
            "job",
            Map.of("org", Map.of("tenant", "acme-eu")),
            Instant.MAX);
    assertEquals(Effect.ALLOW, decide(acme, "SELECT * FROM app.tenant").effect());
    Principal other =
        new Principal(
            "https://issuer",
            "job",
            Principal.Kind.WORKLOAD,
            Set.of(),
            "job",
            Map.of("org", Map.of("tenant", "globex")),
            Instant.MAX);
    assertEquals(Effect.DENY, decide(other, "SELECT * FROM app.tenant").effect());
  }

  @Test
  void untrustedIssuersAndExpiredTokensGetNothing() {
    Policy reference = ReferencePolicy.load();
    RulePolicyEvaluator ref = new RulePolicyEvaluator(reference);
    RequestContext shop = new RequestContext(Channel.WIRE, "shop", null, null, Instant.now());
    var analysis = analyzer.analyze("SELECT 1", AnalysisContext.DEFAULT);
    Principal trusted = ReferencePolicy.principal(dev.gatehouse.testkit.ReferencePrincipal.ANALYST);
    assertEquals(Effect.ALLOW, ref.evaluate(trusted, analysis, shop).effect());
    Principal forged =
        new Principal(
            dev.gatehouse.testkit.TestIssuer.get().untrustedIssuerUrl(),
            "analyst",
            Principal.Kind.PERSON,
            Set.of("analysts"),
            null,
            Map.of(),
            Instant.MAX);
    Decision d = ref.evaluate(forged, analysis, shop);
    assertEquals(Effect.DENY, d.effect());
    assertTrue(d.explanation().contains("does not trust issuer"), d.explanation());
    Principal expired =
        new Principal(
            trusted.issuer(),
            "analyst",
            Principal.Kind.PERSON,
            Set.of("analysts"),
            null,
            Map.of(),
            Instant.now().minusSeconds(1));
    assertTrue(ref.evaluate(expired, analysis, shop).explanation().contains("has expired"));
  }

  @Test
  void anErrorInEvaluationDenies() {
    Decision d =
        evaluator.evaluate(
            person("ann", "readers"),
            null,
            new RequestContext(Channel.CLI, "db", null, null, Instant.now()));
    assertEquals(Effect.DENY, d.effect());
    assertEquals(List.of("evaluation-error"), d.ruleIds());
  }

  @Test
  void opaqueLineageDeniesWhenThePolicySaysSo() {
    String yaml =
        POLICY
            + """
            masking:
              rules:
                - {id: ssn, column: app.customers.ssn, strategy: redact}
              opaqueLineage: deny
            """;
    RulePolicyEvaluator strict =
        new RulePolicyEvaluator(
            new PolicyLoader(Map.of("PW", "x")::get)
                .parse(Path.of("strict.yaml"), yaml.getBytes(StandardCharsets.UTF_8)));
    Decision d =
        strict.evaluate(
            person("ann", "readers"),
            // a function of the database's own: the rule grants it, its result's source is unknown
            analyzer.analyze("SELECT app.lookup(1)", AnalysisContext.DEFAULT),
            new RequestContext(Channel.WIRE, "db", null, null, Instant.now()));
    assertEquals(List.of("masking-opaque-lineage"), d.ruleIds());
    Decision plain =
        strict.evaluate(
            person("ann", "readers"),
            analyzer.analyze("SELECT ssn FROM app.customers", AnalysisContext.DEFAULT),
            new RequestContext(Channel.WIRE, "db", null, null, Instant.now()));
    assertEquals(Effect.ALLOW, plain.effect());
    assertEquals(
        1,
        plain.obligations().masking().rules().stream()
            .filter(r -> !r.id().startsWith("catalog:"))
            .count());
  }
}
