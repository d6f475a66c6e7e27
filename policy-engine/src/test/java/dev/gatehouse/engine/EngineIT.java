package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Completion;
import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.RowBound;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.StatementRequest;
import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.ReferencePolicy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
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
import java.util.UUID;
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
    Admission admission =
        gate.admit(
            new StatementRequest(
                analyst, ctx(), "c1", null, "SELECT ssn FROM app.customers", List.of(), null));
    assertThat(admission).isInstanceOf(Admitted.class);
    Admitted admitted = (Admitted) admission;
    Verdict verdict = admitted.verdict();
    assertThat(admitted.obligations().upstreamRole()).isEqualTo("gatehouse_reader");

    Run audit = admitted.start(null);
    assertThat(audit.timing()).isEqualTo(Run.Timing.RUN_NOW);
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
        admitted.maskPlan(
            List.of(new ResultColumn("ssn", customers, ssnAttnum, 25, -1, -1, ResultColumn.TEXT)));
    byte[] masked = plan.apply(0, "219-09-9999".getBytes(StandardCharsets.UTF_8));
    assertThat(masked == null ? null : new String(masked, StandardCharsets.UTF_8))
        .isNotEqualTo("219-09-9999");
    assertThat(plan.applied()).isNotEmpty();
    audit.complete(Completion.ran(1, Duration.ofMillis(3), plan.applied()));
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
    StatementRequest asked = new StatementRequest(etl, ctx(), "c2", null, sql, List.of(), null);
    AwaitingApproval awaiting = (AwaitingApproval) gate.admit(asked);
    assertThat(awaiting.verdict().decision().effect()).isEqualTo(Effect.REQUIRE_APPROVAL);

    assertThat(awaiting.request().get(10, TimeUnit.SECONDS)).isSameAs(awaiting);
    var waiting = awaiting.await(Duration.ofSeconds(10));
    engine.approvals().approve(awaiting.id(), dba);
    Admission decided = waiting.get(10, TimeUnit.SECONDS);
    assertThat(decided).isInstanceOf(Admitted.class);
    Admitted admitted = (Admitted) decided;
    assertThat(admitted.approvalId()).isEqualTo(awaiting.id());
    assertThat(engine.approvals().find(awaiting.id()).orElseThrow().state())
        .as("admission used the approval")
        .isEqualTo(ApprovalState.USED);
    assertThat(admitted.obligations().upstreamRole()).isEqualTo("gatehouse_owner");
    assertThat(admitted.start(null).timing())
        .as("an approved statement waits for its record")
        .isEqualTo(Run.Timing.AFTER_RECORD);
  }

  @Test
  void aDeniedApprovalIsRefusedAndRecordedOnceHoweverOftenItIsResumed() throws Exception {
    Gate gate = engine.gate();
    Principal etl =
        gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY), ctx());
    Principal dba = gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.DBA), ctx());
    String sql = "DROP TABLE app.orders";
    AwaitingApproval first =
        (AwaitingApproval)
            gate.admit(new StatementRequest(etl, ctx(), "c3", null, sql, List.of(), null));
    first.request().get(10, TimeUnit.SECONDS);
    assertThat(first.await(Duration.ZERO).get(10, TimeUnit.SECONDS))
        .as("still pending")
        .isSameAs(first);
    engine.approvals().deny(first.id(), dba, "not today");

    List<UUID> auditIds = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      AwaitingApproval resumed =
          (AwaitingApproval)
              gate.admit(new StatementRequest(etl, ctx(), "c3", null, sql, List.of(), first.id()));
      Refused refused =
          (Refused)
              ((AwaitingApproval) resumed.request().get(10, TimeUnit.SECONDS))
                  .await(Duration.ofSeconds(5))
                  .get(10, TimeUnit.SECONDS);
      assertThat(refused.refusal()).isInstanceOf(Refusal.ApprovalDenied.class);
      assertThat(refused.sqlState().code()).isEqualTo("42501");
      assertThat(refused.toolMessage()).contains("was denied by").contains("not today");
      auditIds.add(refused.auditId());
    }
    assertThat(auditIds.get(0)).as("the first refusal is on record").isNotNull();
    assertThat(auditIds.get(1)).as("a retry writes no second record").isNull();
  }

  @Test
  void someoneElsesApprovalIdReadsAsUnknown() throws Exception {
    Gate gate = engine.gate();
    Principal etl =
        gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY), ctx());
    Principal otherEtl =
        gate.authenticate(
            TestIssuer.get()
                .token(
                    TestIssuer.TRUSTED_ID,
                    "etl-weekly",
                    Map.of("groups", List.of("etl"), "client_id", "etl-nightly"),
                    Duration.ofMinutes(5)),
            ctx());
    String sql = "DROP TABLE app.orders";
    AwaitingApproval etlAsks =
        (AwaitingApproval)
            gate.admit(new StatementRequest(etl, ctx(), "c4", null, sql, List.of(), null));
    etlAsks.request().get(10, TimeUnit.SECONDS);
    Admission other =
        gate.admit(new StatementRequest(otherEtl, ctx(), "c5", null, sql, List.of(), etlAsks.id()));
    if (other instanceof AwaitingApproval a) {
      other = a.request().get(10, TimeUnit.SECONDS);
    }
    assertThat(other).isInstanceOf(Refused.class);
    assertThat(((Refused) other).refusal()).isInstanceOf(Refusal.ApprovalNotYours.class);
    etlAsks.cancelled("test over");
  }

  /**
   * Red-team round 50: an approval a wire connection waits for cannot be used from MCP by its id,
   * nor found there by an MCP call of the same statement; the wire connection then runs it.
   */
  @Test
  void anApprovalIsUsedOnlyThroughTheFrontEndThatAskedForIt() throws Exception {
    Gate gate = engine.gate();
    RequestContext wire =
        new RequestContext(Channel.WIRE, "shop", "engine-it", "127.0.0.1", Instant.now());
    RequestContext mcp =
        new RequestContext(Channel.MCP, "shop", "engine-it", "127.0.0.1", Instant.now());
    Principal etl =
        gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY), wire);
    Principal dba = gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.DBA), wire);
    String sql = "COMMENT ON TABLE app.orders IS 'r50'";
    AwaitingApproval asked =
        (AwaitingApproval)
            gate.admit(new StatementRequest(etl, wire, "c6", null, sql, List.of(), null));
    asked.request().get(10, TimeUnit.SECONDS);

    // The same statement over MCP while the wire's request is pending: a request of its own.
    AwaitingApproval overMcp =
        (AwaitingApproval)
            ((AwaitingApproval)
                    gate.admit(new StatementRequest(etl, mcp, "m1", null, sql, List.of(), null)))
                .request()
                .get(10, TimeUnit.SECONDS);
    assertThat(overMcp.id()).isNotEqualTo(asked.id());
    overMcp.cancelled("test over");

    engine.approvals().approve(asked.id(), dba);
    Admission resumed =
        gate.admit(new StatementRequest(etl, mcp, "m2", null, sql, List.of(), asked.id()));
    if (resumed instanceof AwaitingApproval a) {
      resumed = a.request().get(10, TimeUnit.SECONDS);
    }
    assertThat(resumed).isInstanceOf(Refused.class);
    assertThat(((Refused) resumed).refusal()).isInstanceOf(Refusal.ApprovalUnusable.class);
    assertThat(((Refused) resumed).toolMessage()).contains("another front end");
    assertThat(engine.approvals().find(asked.id()).orElseThrow().state())
        .as("not used by the refused resume")
        .isEqualTo(ApprovalState.APPROVED);

    Admission ran = asked.await(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    assertThat(ran).isInstanceOf(Admitted.class);
    assertThat(engine.approvals().find(asked.id()).orElseThrow().state())
        .isEqualTo(ApprovalState.USED);
    ((Admitted) ran).start(null).complete(Completion.ran(0, Duration.ofMillis(1), List.of()));
  }

  /**
   * Red-team round 52: a write held over its bound joined the pending request of the same text held
   * for another reason, so its approver never saw the count, and the approved run was not bound.
   * Held for other reasons, it is a request of its own, with the count; held again for the same
   * reasons (an MCP retry), it finds its own.
   */
  @Test
  void aHoldForOtherReasonsIsARequestOfItsOwn() throws Exception {
    Gate gate = engine.gate();
    RequestContext mcp =
        new RequestContext(Channel.MCP, "shop", "engine-it", "127.0.0.1", Instant.now());
    Principal etl =
        gate.authenticate(TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY), mcp);
    String sql = "UPDATE app.orders SET note = note WHERE id <= 150";
    Admitted bounded =
        (Admitted) gate.admit(new StatementRequest(etl, mcp, "m3", null, sql, List.of(), null));
    AwaitingApproval other =
        (AwaitingApproval)
            bounded
                .escalate(RowBound.uncountable(bounded.verdict(), "another reason"), List.of())
                .request()
                .get(10, TimeUnit.SECONDS);
    AwaitingApproval over =
        (AwaitingApproval)
            bounded
                .escalate(RowBound.overBound(bounded.verdict(), 150), List.of())
                .request()
                .get(10, TimeUnit.SECONDS);
    assertThat(over.id()).isNotEqualTo(other.id());
    assertThat(engine.approvals().find(over.id()).orElseThrow().reasons())
        .contains("would update 150 rows");
    AwaitingApproval retried =
        (AwaitingApproval)
            bounded
                .escalate(RowBound.overBound(bounded.verdict(), 150), List.of())
                .request()
                .get(10, TimeUnit.SECONDS);
    assertThat(retried.id()).as("a retry finds its own request").isEqualTo(over.id());
    other.cancelled("test over");
    over.cancelled("test over");
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
