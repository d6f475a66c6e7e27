package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.AuditQuery;
import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.StatementRecord;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.GatehouseMcp;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.tools.CallContext;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePolicyFixture;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.server.WireProxyConfig;
import dev.gatehouse.wire.server.WireProxyServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same statements through the wire proxy (pgjdbc) and through the MCP {@code query} tool, over
 * one real engine (reference policy, real issuer, real control database): the audit records must
 * match field by field, channel aside (ADR 0009).
 */
class ChannelParityIT {

  /** Short enough to watch a request expire, long enough to decide one by hand. */
  private static final Duration EXPIRY = Duration.ofSeconds(6);

  @TempDir static Path dir;
  private static Engine engine;
  private static WireProxyServer wire;
  private static GatehouseMcp mcp;
  private static AuditSearch search;
  private static Principal dba;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String shop = pg.createShopDatabase("parity_shop");
    String policyText =
        ReferencePolicyFixture.text()
            .replace("    database: shop\n", "    database: " + shop + "\n")
            .replace("expiry: 15m", "expiry: " + EXPIRY.toSeconds() + "s");
    assertThat(policyText).contains("database: " + shop).doesNotContain("expiry: 15m");
    Path policy = Files.writeString(dir.resolve("policy.yaml"), policyText);
    String control = pg.createEmptyDatabase("parity_control");
    engine =
        Engine.start(
            new Engine.Settings(
                policy,
                Duration.ZERO,
                ControlDatabase.Settings.of(
                    pg.jdbcUrl(control), pg.adminUser(), pg.adminPassword()),
                AuditConfig.defaults(
                    "parity-it",
                    AuditKey.of(
                        "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
                    dir.resolve("spool")),
                ApprovalConfig.defaults(),
                "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
                Map.of("shop", "gatehouse_reader"),
                1000,
                List.of()),
            ReferencePolicyFixture.environment()::get,
            Clock.systemUTC());
    wire = new WireProxyServer(WireProxyConfig.defaults("127.0.0.1", 0), engine.gate()).start();
    mcp =
        new GatehouseMcp(
            engine.gate(),
            McpServerConfig.builder("shop", List.of(URI.create(TestIssuer.get().issuerUrl())))
                .approvalWait(Duration.ZERO)
                .build());
    search = new AuditSearch(engine.control().dataSource());
    dba = principal(ReferencePrincipal.DBA);
  }

  @AfterAll
  static void stop() {
    if (mcp != null) {
      mcp.close();
    }
    if (wire != null) {
      wire.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void anAllowedReadIsRecordedAlike() throws Exception {
    assertParity(
        ReferencePrincipal.ANALYST, "SELECT id, total FROM app.orders ORDER BY id LIMIT 2", null);
  }

  @Test
  void aMaskedReadIsRecordedAlikeWithItsMasks() throws Exception {
    List<StatementRecord> records =
        assertParity(
            ReferencePrincipal.ANALYST,
            "SELECT id, email, ssn FROM app.customers ORDER BY id LIMIT 3",
            null);
    assertThat(records.getFirst().outcome().maskedColumns()).isNotEmpty();
  }

  @Test
  void aDenialIsRecordedAlike() throws Exception {
    List<StatementRecord> records =
        assertParity(ReferencePrincipal.ANALYST, "DELETE FROM app.orders WHERE id = 1", "42501");
    assertThat(records.getFirst().decision()).isEqualTo("DENY");
  }

  @Test
  void anSqlErrorIsRecordedAlike() throws Exception {
    assertParity(ReferencePrincipal.ANALYST, "SELECT id / 0 FROM app.orders WHERE id = 1", "22012");
  }

  @Test
  void aPrincipalWithNoGrantIsRecordedAlike() throws Exception {
    List<StatementRecord> records =
        assertParity(ReferencePrincipal.CONTRACTOR, "SELECT id FROM app.orders", "42501");
    assertThat(records.getFirst().ruleIds()).containsExactly("default-deny");
  }

  @Test
  void aStatementHeldForApprovalThenDeniedLeavesOneRefusalOnEachChannel() throws Exception {
    String sql = "UPDATE app.orders SET note = note";
    Instant from = Instant.now().minusMillis(1);
    wireApproval(sql, Decide.DENY, "42501");
    mcpApproval(sql, Decide.DENY, true);
    List<StatementRecord> records = compare(ReferencePrincipal.ETL_NIGHTLY, sql, from, "42501");
    assertThat(records.getFirst().approvalId()).isNotNull();
  }

  @Test
  void anApprovedStatementRunsAndIsRecordedAlike() throws Exception {
    String sql = "UPDATE app.payments SET amount = amount";
    Instant from = Instant.now().minusMillis(1);
    wireApproval(sql, Decide.APPROVE, null);
    mcpApproval(sql, Decide.APPROVE, false);
    List<StatementRecord> records = compare(ReferencePrincipal.ETL_NIGHTLY, sql, from, null);
    assertThat(records.getFirst().approvalId()).isNotNull();
    assertThat(records.getFirst().outcome().rows()).isPositive();
  }

  @Test
  void anExpiredApprovalIsRecordedAlike() throws Exception {
    String sql = "DELETE FROM app.payments";
    Instant from = Instant.now().minusMillis(1);
    wireApproval(sql, Decide.LET_EXPIRE, "42501");
    mcpApproval(sql, Decide.LET_EXPIRE, true);
    compare(ReferencePrincipal.ETL_NIGHTLY, sql, from, "42501");
  }

  // --- running statements on both channels ---------------------------------------------------

  private enum Decide {
    APPROVE,
    DENY,
    LET_EXPIRE
  }

  /** Runs {@code sql} on both channels and compares the records; {@code sqlState} on failure. */
  private List<StatementRecord> assertParity(ReferencePrincipal who, String sql, String sqlState)
      throws Exception {
    Instant from = Instant.now().minusMillis(1);
    try (Connection c = connect(who);
        Statement s = c.createStatement()) {
      if (sqlState == null) {
        s.execute(sql);
      } else {
        assertThatThrownBy(() -> s.execute(sql))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
      }
    }
    McpSchema.CallToolResult result = query(principal(who), Map.of("sql", sql));
    assertThat(result.isError()).as(text(result)).isEqualTo(sqlState != null);
    return compare(who, sql, from, sqlState);
  }

  private void wireApproval(String sql, Decide decide, String sqlState) throws Exception {
    try (Connection c = connect(ReferencePrincipal.ETL_NIGHTLY)) {
      CompletableFuture<Void> ran =
          CompletableFuture.runAsync(
              () -> {
                try (Statement s = c.createStatement()) {
                  s.execute(sql);
                } catch (SQLException e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      ApprovalRequest request = pendingFor(sql);
      decide(request.id(), decide);
      if (sqlState == null) {
        ran.get(30, TimeUnit.SECONDS);
      } else {
        assertThatThrownBy(() -> ran.get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(SQLException.class)
            .satisfies(
                e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo(sqlState));
      }
    }
  }

  private void mcpApproval(String sql, Decide decide, boolean refused) throws Exception {
    Principal etl = principal(ReferencePrincipal.ETL_NIGHTLY);
    McpSchema.CallToolResult pending = query(etl, Map.of("sql", sql));
    assertThat(pending.isError()).isTrue();
    String id = (String) error(pending).get("approval_id");
    assertThat(error(pending).get("kind")).isEqualTo("approval_pending");
    assertThat(structured(pending))
        .as("a pending call writes no record")
        .doesNotContainKey("audit_id");
    // A retry while still pending writes no record either.
    assertThat(structured(query(etl, Map.of("sql", sql, "approval_id", id))))
        .doesNotContainKey("audit_id");
    decide(UUID.fromString(id), decide);
    McpSchema.CallToolResult done = query(etl, Map.of("sql", sql, "approval_id", id));
    assertThat(done.isError()).as(text(done)).isEqualTo(refused);
    if (refused) {
      // Asking again after the refusal writes no second record.
      query(etl, Map.of("sql", sql, "approval_id", id));
    }
  }

  private static void decide(UUID id, Decide decide) throws Exception {
    switch (decide) {
      case APPROVE -> engine.approvals().approve(id, dba);
      case DENY -> engine.approvals().deny(id, dba, "not during business hours");
      case LET_EXPIRE -> awaitState(id, ApprovalState.EXPIRED);
    }
  }

  private static void awaitState(UUID id, ApprovalState state) throws Exception {
    ApprovalRequest decided =
        engine.approvals().awaitDecision(id, EXPIRY.multipliedBy(3)).get(30, TimeUnit.SECONDS);
    assertThat(decided.state()).isEqualTo(state);
  }

  /** The request the wire's statement made, once it exists. */
  private static ApprovalRequest pendingFor(String sql) {
    Eventually.await(
        "an approval request for `" + sql + "`",
        Duration.ofSeconds(20),
        () -> engine.approvals().pending().stream().anyMatch(r -> r.sql().equals(sql)));
    return engine.approvals().pending().stream()
        .filter(r -> r.sql().equals(sql))
        .findFirst()
        .orElseThrow();
  }

  // --- comparing records ---------------------------------------------------------------------

  /** The records of {@code sql} since {@code from}, compared across channels, field by field. */
  private static List<StatementRecord> compare(
      ReferencePrincipal who, String sql, Instant from, String sqlState) throws Exception {
    List<StatementRecord> wireRecords = records(who, sql, from, Channel.WIRE);
    List<StatementRecord> mcpRecords = records(who, sql, from, Channel.MCP);
    assertThat(wireRecords).as("one record on the wire").hasSize(1);
    assertThat(mcpRecords).as("one record through MCP").hasSize(1);
    StatementRecord w = wireRecords.getFirst();
    StatementRecord m = mcpRecords.getFirst();
    assertThat(comparable(m)).as("MCP record vs wire record").isEqualTo(comparable(w));
    assertThat(w.outcome().sqlState()).isEqualTo(sqlState);
    return wireRecords;
  }

  private static Map<String, Object> comparable(StatementRecord r) {
    Map<String, Object> out = new HashMap<>();
    out.put("subject", r.subject());
    out.put("database", r.database());
    out.put("decision", r.decision());
    out.put("ruleIds", r.ruleIds());
    out.put("statementKinds", r.statementKinds());
    out.put("tables", r.tables());
    out.put("riskFlags", r.riskFlags());
    out.put("approved", r.approvalId() != null);
    out.put("rows", r.outcome().rows());
    out.put("sqlState", r.outcome().sqlState());
    out.put("maskedColumns", r.outcome().maskedColumns());
    out.put("maskRules", r.outcome().maskRules());
    return out;
  }

  /** Waits until every record of {@code sql} on {@code channel} has its outcome. */
  private static List<StatementRecord> records(
      ReferencePrincipal who, String sql, Instant from, Channel channel) throws Exception {
    Eventually.holdsWithin(
        Duration.ofSeconds(15),
        () -> {
          List<StatementRecord> found = recordsNow(who, sql, from, channel);
          return !found.isEmpty() && found.stream().allMatch(r -> r.outcome() != null);
        });
    return recordsNow(who, sql, from, channel);
  }

  private static List<StatementRecord> recordsNow(
      ReferencePrincipal who, String sql, Instant from, Channel channel) throws Exception {
    return search.search(AuditQuery.all().subject(who.subject()).page(1000, null)).items().stream()
        .filter(r -> r.sql().equals(sql))
        .filter(r -> r.channel().equalsIgnoreCase(channel.name()))
        .filter(r -> !r.at().isBefore(from))
        .toList();
  }

  // --- clients -------------------------------------------------------------------------------

  private static Connection connect(ReferencePrincipal who) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", who.subject());
    p.setProperty("password", TestIssuer.get().tokenFor(who));
    p.setProperty("sslmode", "disable");
    // Session settings go in the startup packet, so connecting runs no statement of its own (a
    // principal with no grant could not even connect otherwise).
    p.setProperty("assumeMinServerVersion", "16");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + wire.port() + "/shop", p);
  }

  private static Principal principal(ReferencePrincipal who) throws Exception {
    return engine.gate().authenticate(TestIssuer.get().tokenFor(who), context());
  }

  private static RequestContext context() {
    return new RequestContext(Channel.MCP, "shop", "parity-it", "127.0.0.1", Instant.now());
  }

  private static McpSchema.CallToolResult query(Principal who, Map<String, Object> args) {
    return mcp.protocol()
        .callTool(
            new CallContext(who, context(), "parity-session", CallContext.ProgressSink.NONE),
            new McpSchema.CallToolRequest("query", args));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> structured(McpSchema.CallToolResult r) {
    return (Map<String, Object>) r.structuredContent();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult r) {
    return (Map<String, Object>) structured(r).get("error");
  }

  private static String text(McpSchema.CallToolResult r) {
    return r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().getFirst()).text();
  }
}
