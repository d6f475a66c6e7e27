package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.StatementOutcome;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.ReferencePolicy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine assembled from the reference policy, over the real control database and issuer. */
class EngineIT {

  @TempDir static Path dir;
  private static Engine engine;
  private static String controlDb;

  static Engine.Settings settings(Path policy, String control) {
    TestPostgres pg = TestPostgres.get();
    return new Engine.Settings(
        policy,
        Duration.ZERO,
        ControlDatabase.Settings.of(pg.jdbcUrl(control), pg.adminUser(), pg.adminPassword()),
        AuditConfig.defaults("engine-it", AuditKey.of(new byte[32]), dir.resolve("spool")),
        ApprovalConfig.defaults(),
        "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
        Map.of("shop", "gatehouse_reader"),
        1000,
        List.of());
  }

  @BeforeAll
  static void start() throws Exception {
    controlDb = TestPostgres.get().createEmptyDatabase("engine_control");
    Path policy = dir.resolve("policy.yaml");
    Files.copy(ReferencePolicy.file(), policy, StandardCopyOption.REPLACE_EXISTING);
    engine =
        Engine.start(
            settings(policy, controlDb), ReferencePolicy.environment()::get, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  private static RequestContext ctx() {
    return new RequestContext(Channel.CLI, "shop", "engine-it", "127.0.0.1", Instant.now());
  }

  @Test
  void aRealTokenIsDecidedMaskedAndRecorded() throws Exception {
    Gate gate = engine.gate();
    Principal analyst =
        gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.ANALYST), ctx());
    Verdict verdict =
        gate.decide(analyst, ctx(), AnalysisContext.DEFAULT, "SELECT ssn FROM app.customers");
    assertThat(verdict.decision().effect()).isEqualTo(Effect.ALLOW);
    assertThat(verdict.decision().obligations().upstreamRole()).isEqualTo("gatehouse_reader");

    var audit = gate.record(analyst, ctx(), "c1", verdict, List.of(), null);
    audit.durable().get(5, TimeUnit.SECONDS);

    int customers;
    int ssnAttnum;
    try (Connection c = TestPostgres.get().connectAsAdmin("shop");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT a.attrelid::int, a.attnum FROM pg_attribute a"
                    + " WHERE a.attrelid = 'app.customers'::regclass AND a.attname = 'ssn'")) {
      rs.next();
      customers = rs.getInt(1);
      ssnAttnum = rs.getInt(2);
    }
    MaskPlan plan =
        gate.maskPlan(
            verdict,
            List.of(new ResultColumn("ssn", customers, ssnAttnum, 25, -1, -1, ResultColumn.TEXT)),
            "shop");
    byte[] masked = plan.apply(0, "219-09-9999".getBytes(StandardCharsets.UTF_8));
    assertThat(masked == null ? null : new String(masked, StandardCharsets.UTF_8))
        .isNotEqualTo("219-09-9999");
    assertThat(plan.applied()).isNotEmpty();
    audit.complete(
        new StatementOutcome(1, Duration.ofMillis(3), plan.applied(), null, null, List.of()));
  }

  @Test
  void aTokenOfTheUntrustedIssuerIsRefused() {
    String token =
        TestIssuer.get()
            .token(
                TestIssuer.UNTRUSTED_ID,
                "analyst",
                Map.of("groups", List.of("analysts")),
                Duration.ofMinutes(5));
    assertThatThrownBy(() -> engine.gate().authenticate(token, ctx()))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void anApprovalMadeByADbaLetsTheStatementRun() throws Exception {
    Gate gate = engine.gate();
    Principal etl =
        gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY), ctx());
    Principal dba = gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.DBA), ctx());
    String sql = "DROP TABLE app.orders";
    Verdict verdict = gate.decide(etl, ctx(), AnalysisContext.DEFAULT, sql);
    assertThat(verdict.decision().effect()).isEqualTo(Effect.REQUIRE_APPROVAL);

    ApprovalRequest request =
        gate.approvals().request(etl, ctx(), sql, List.of(), verdict.decision());
    var waiting = gate.approvals().awaitDecision(request.id(), Duration.ofSeconds(10));
    gate.approvals().approve(request.id(), dba);
    assertThat(waiting.get(10, TimeUnit.SECONDS).state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(gate.approvals().consume(request.id(), etl, "shop", sql, List.of()).state())
        .isEqualTo(ApprovalState.USED);
    assertThat(verdict.decision().obligations().upstreamRole()).isEqualTo("gatehouse_owner");
  }

  @Test
  void theControlDatabaseCannotBeAGovernedDatabase() throws Exception {
    Path policy = dir.resolve("control-as-upstream.yaml");
    Files.copy(ReferencePolicy.file(), policy, StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(
            () ->
                Engine.start(
                    settings(policy, "shop"),
                    ReferencePolicy.environment()::get,
                    Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control database");
  }
}
