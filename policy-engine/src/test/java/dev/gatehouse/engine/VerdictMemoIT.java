package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.StatementRequest;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.CatalogMaskPlanner;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.PolicyHolder;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.engine.policy.ReferencePolicy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.CachingSqlAnalyzer;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allow verdicts kept by fingerprint (issue 15, {@link VerdictMemo}): a statement sent again with
 * other literals is not evaluated again, and yet every verdict is the one a fresh evaluation gives:
 * after a policy reload, after a schema change the gateway saw, for another principal, for an
 * expired token, and never for a denial. Real PostgreSQL, the reference policy, the real analyser
 * and catalog.
 */
class VerdictMemoIT {

  private final TestPostgres pg = TestPostgres.get();
  @TempDir Path dir;
  private String shop;
  private PostgresSqlAnalyzer analyzer;
  private CatalogMaskPlanner planner;
  private PolicyHolder policy;
  private Path policyFile;
  private DefaultGate gate;
  private long baseline;

  @BeforeEach
  void start() throws Exception {
    shop = pg.createShopDatabase("verdict_memo");
    analyzer = new PostgresSqlAnalyzer();
    planner =
        CatalogMaskPlanner.overJdbc(
            database -> {
              try {
                return pg.connect(shop, pg.reader());
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            },
            "verdict-memo-pseudonym-key".getBytes(StandardCharsets.UTF_8));
    policyFile = dir.resolve("policy.yaml");
    Files.copy(ReferencePolicy.file(), policyFile);
    policy = new PolicyHolder(policyFile, new PolicyLoader(ReferencePolicy.environment()::get));
    gate =
        new DefaultGate(
            token -> {
              throw new AuthenticationException(
                  AuthenticationException.Reason.MALFORMED, "no tokens here");
            },
            new CachingSqlAnalyzer(analyzer, 1024),
            policy,
            planner,
            new MemoryAuditTrail(),
            MemoryApprovalService.approvedBy("dba", Duration.ofMinutes(5)),
            (database, role) -> {
              throw new IllegalStateException("no upstream in this test");
            },
            Clock.systemUTC());
    // The catalog snapshot is made by the first statement that reads it: a verdict decided while
    // it appeared is not kept (the snapshot changed meanwhile). Start with one in place.
    admit(analyst(), "SELECT id, total FROM app.orders WHERE id = 0");
    baseline = hits();
  }

  @AfterEach
  void stop() {
    analyzer.close();
    policy.close();
  }

  private static Principal analyst() {
    return ReferencePolicy.principal(ReferencePrincipal.ANALYST);
  }

  private Admission admit(Principal who, String sql) {
    return admit(who, sql, Instant.now());
  }

  private Admission admit(Principal who, String sql, Instant now) {
    return gate.admit(
        new StatementRequest(
            who,
            new RequestContext(Channel.WIRE, "shop", "psql", "127.0.0.1", now),
            "c1",
            AnalysisContext.DEFAULT,
            sql,
            null,
            null,
            null));
  }

  /** Verdicts served from the memo since the start. */
  private long hits() {
    return gate.verdictsKept()[0] - baseline;
  }

  @Test
  void aStatementSentAgainWithOtherLiteralsIsDecidedOnceAndCarriesItsOwnText() {
    Principal analyst = analyst();
    Admitted first = (Admitted) admit(analyst, "SELECT id, email FROM app.customers WHERE id = 7");
    assertThat(hits()).isZero();

    Admitted again = (Admitted) admit(analyst, "SELECT id, email FROM app.customers WHERE id = 8");

    assertThat(hits()).isEqualTo(1);
    assertThat(again.verdict().decision()).isEqualTo(first.verdict().decision());
    assertThat(again.verdict().analysis().sql()).endsWith("id = 8");
    assertThat(again.verdict().analysis().statements().getFirst().sql()).endsWith("id = 8");
    // Lineage resolved through the catalog is kept too (the masking and error redaction use it).
    assertThat(again.verdict().analysis().statements().getFirst().outputColumns())
        .isEqualTo(first.verdict().analysis().statements().getFirst().outputColumns());
  }

  @Test
  void aPolicyReloadDecidesAgain() throws Exception {
    Principal analyst = analyst();
    String sql = "SELECT id, full_name FROM app.customers WHERE id = ";
    assertThat(admit(analyst, sql + 1)).isInstanceOf(Admitted.class);
    assertThat(admit(analyst, sql + 2)).isInstanceOf(Admitted.class);
    assertThat(hits()).isEqualTo(1);

    // The analysts' rule no longer reads app.customers: the statement is analysed (the rule still
    // grants the database) and refused by default-deny.
    String text = Files.readString(policyFile);
    String read = "read: [\"app.*\", \"pg_catalog.*\", \"information_schema.*\"]";
    String rule = "id: analysts-read";
    int at = text.indexOf(read, text.indexOf(rule));
    assertThat(at).isPositive();
    Files.writeString(
        policyFile,
        text.substring(0, at)
            + "read: [\"app.orders\", \"pg_catalog.*\"]"
            + text.substring(at + read.length()));
    assertThat(policy.reload()).isTrue();

    Admission after = admit(analyst, sql + 3);
    assertThat(after).isInstanceOf(Refused.class);
    assertThat(((Refused) after).verdict().decision().ruleIds()).contains("default-deny");
    assertThat(hits()).isEqualTo(1);
  }

  /** So is the shortcut for a principal granted nothing on the database, known per policy. */
  @Test
  void aPrincipalAReloadedPolicyGrantsNothingIsRefusedUnanalysed() throws Exception {
    Principal analyst = analyst();
    String sql = "SELECT id, full_name FROM app.customers WHERE id = ";
    assertThat(admit(analyst, sql + 1)).isInstanceOf(Admitted.class);
    assertThat(admit(analyst, sql + 2)).isInstanceOf(Admitted.class);

    String text = Files.readString(policyFile);
    String rule = "groups: [analysts]\n    grants:";
    assertThat(text).contains(rule);
    Files.writeString(policyFile, text.replace(rule, "groups: [nobody]\n    grants:"));
    assertThat(policy.reload()).isTrue();

    Refused after = (Refused) admit(analyst, sql + 3);
    assertThat(after.verdict().decision().ruleIds()).contains("default-deny");
    assertThat(after.verdict().analysis().statements().getFirst().statementClass())
        .as("refused without analysis, as before the policy was reloaded")
        .isEqualTo(dev.gatehouse.engine.sql.StatementClass.UNKNOWN);
  }

  @Test
  void aSchemaChangeTheGatewaySawDecidesAgain() throws Exception {
    try (Connection c = pg.connectAsAdmin(shop);
        Statement s = c.createStatement()) {
      s.execute("CREATE VIEW app.contacts AS SELECT id, full_name AS label FROM app.customers");
      s.execute("GRANT SELECT ON app.contacts TO " + pg.reader().name());
    }
    Principal analyst = analyst();
    // Filtering on a column that is not masked: allowed, and kept. (On a masked one, only an
    // equality lookup would be allowed.)
    String sql = "SELECT id FROM app.contacts WHERE label LIKE ";
    assertThat(admit(analyst, sql + "'a%'")).isInstanceOf(Admitted.class);
    assertThat(admit(analyst, sql + "'b%'")).isInstanceOf(Admitted.class);
    assertThat(hits()).isEqualTo(1);

    // The view now shows a masked column under the same name; the front end tells the planner
    // after DDL it ran, as the wire proxy does.
    try (Connection c = pg.connectAsAdmin(shop);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE OR REPLACE VIEW app.contacts AS SELECT id, ssn AS label FROM app.customers");
    }
    planner.catalogChanged("shop");

    Admission after = admit(analyst, sql + "'123%'");
    assertThat(after).isInstanceOf(Refused.class);
    assertThat(((Refused) after).verdict().decision().explanation()).contains("ssn");
    assertThat(hits()).isEqualTo(1);
  }

  @Test
  void anotherPrincipalIsDecidedForItself() {
    String sql = "SELECT id, email FROM app.customers WHERE id = ";
    Admitted analyst = (Admitted) admit(analyst(), sql + 1);
    Admitted cleared =
        (Admitted) admit(ReferencePolicy.principal(ReferencePrincipal.SUPPORT_LEAD), sql + 2);
    assertThat(hits()).isZero();
    assertThat(cleared.verdict().decision().obligations().upstreamRole())
        .isNotEqualTo(analyst.verdict().decision().obligations().upstreamRole());
  }

  @Test
  void anExpiredTokenIsRefusedThoughItsVerdictWasKept() {
    Principal base = analyst();
    Instant expires = Instant.now().plusSeconds(60);
    Principal analyst =
        new Principal(
            base.issuer(),
            base.subject(),
            base.kind(),
            base.groups(),
            base.clientId(),
            base.claims(),
            expires);
    String sql = "SELECT id FROM app.customers WHERE id = ";
    assertThat(admit(analyst, sql + 1)).isInstanceOf(Admitted.class);
    assertThat(admit(analyst, sql + 2)).isInstanceOf(Admitted.class);
    assertThat(hits()).isEqualTo(1);

    Admission late = admit(analyst, sql + 3, expires.plusSeconds(1));
    assertThat(late).isInstanceOf(Refused.class);
    assertThat(((Refused) late).verdict().decision().explanation()).contains("expired");
  }

  @Test
  void denialsAndLiteralShapedStatementsAreDecidedEveryTime() {
    Principal analyst = analyst();
    for (int i = 0; i < 3; i++) {
      // Inference on a masked column: denied each time, never kept.
      Admission denied = admit(analyst, "SELECT id FROM app.customers WHERE ssn LIKE '" + i + "%'");
      assertThat(denied).isInstanceOf(Refused.class);
      assertThat(((Refused) denied).verdict().decision().effect()).isEqualTo(Effect.DENY);
    }
    // A literal that decides (the search path set) is never served from the analysis cache, so
    // its verdict is never kept either.
    for (String schema : List.of("app", "app", "pg_catalog")) {
      assertThat(admit(analyst, "SET search_path = '" + schema + "'")).isInstanceOf(Admitted.class);
    }
    assertThat(hits()).isZero();
  }
}
