package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.query;
import static dev.gatehouse.mcp.McpClients.structured;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The reference policy's {@code taint} switch over MCP: an agent acting as the ETL job that has
 * read {@code app.orders.note} (free text anyone placing an order writes) has its next writes held
 * for a dba; sessions that read no such text write as before.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // a held call is pending after this wait; the tests approve it afterwards
    properties = {"test.mcp.gate=engine", "test.mcp.approval-wait-ms=50"})
class McpTaintIT {

  private static final String WRITE = "UPDATE app.payments SET status = status WHERE id = 1";
  private static final String REASON =
      "this session read untrusted text from `app.orders.note`; writes after it need approval";

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;

  private McpSyncClient etl() {
    return McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY));
  }

  private Principal dba() throws Exception {
    return fixture
        .gate()
        .authenticate(
            TestIssuer.get().tokenFor(ReferencePrincipal.DBA),
            new RequestContext(Channel.CLI, "shop", "test", null, Instant.now()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult r) {
    return (Map<String, Object>) structured(r).get("error");
  }

  @Test
  void readingTheNoteHoldsTheNextWriteUntilADbaApprovesAndThenItRunsOnce() throws Exception {
    try (McpSyncClient agent = etl()) {
      McpSchema.CallToolResult read =
          query(agent, "SELECT id, note FROM app.orders ORDER BY id LIMIT 3");
      assertThat(read.isError()).as(text(read)).isFalse();

      McpSchema.CallToolResult held = query(agent, WRITE);
      assertThat(held.isError()).isTrue();
      assertThat(error(held))
          .containsEntry("kind", "approval_pending")
          .containsEntry("rule_ids", List.of("taint"));
      assertThat(text(held)).contains(REASON);
      String id = (String) error(held).get("approval_id");
      ApprovalRequest pending = fixture.approvals().find(UUID.fromString(id)).orElseThrow();
      assertThat(pending.state()).isEqualTo(ApprovalState.PENDING);
      assertThat(pending.ruleIds()).containsExactly("taint");
      assertThat(pending.reasons()).contains(REASON);

      fixture.approvals().approve(pending.id(), dba());

      McpSchema.CallToolResult ran = call(agent, "query", Map.of("sql", WRITE, "approval_id", id));
      assertThat(ran.isError()).as(text(ran)).isFalse();
      assertThat(structured(ran)).containsEntry("approval_id", id);
      assertThat(fixture.approvals().find(pending.id()).orElseThrow().state())
          .isEqualTo(ApprovalState.USED);

      McpSchema.CallToolResult twice =
          call(agent, "query", Map.of("sql", WRITE, "approval_id", id));
      assertThat(twice.isError()).isTrue();
      assertThat(text(twice)).contains("used");

      // The session stays tainted: the next write waits again.
      McpSchema.CallToolResult next =
          query(agent, "UPDATE app.orders SET total = total WHERE id = 1");
      assertThat(next.isError()).isTrue();
      assertThat(error(next))
          .containsEntry("kind", "approval_pending")
          .containsEntry("rule_ids", List.of("taint"));
    }
  }

  /**
   * Red-team round 53: a write held only by the taint switch showed its approver no count, and
   * approved it ran unbounded (150 rows; the grant allows 100 without approval). Approved, it is
   * counted under the grant's bound, undone past it, and asked for again with its count; approved
   * with the count, it runs once, bounded by it.
   */
  @Test
  void anApprovedTaintedWriteStaysUnderItsGrantsBoundUntilItsCountIsApproved() throws Exception {
    String write = "UPDATE app.orders SET total = total WHERE id BETWEEN 1001 AND 1150";
    try (McpSyncClient agent = etl()) {
      assertThat(query(agent, "SELECT note FROM app.orders WHERE id = 1").isError()).isFalse();
      McpSchema.CallToolResult held = query(agent, write);
      assertThat(error(held)).containsEntry("rule_ids", List.of("taint"));
      String id = (String) error(held).get("approval_id");
      fixture.approvals().approve(UUID.fromString(id), dba());

      McpSchema.CallToolResult counted =
          call(agent, "query", Map.of("sql", write, "approval_id", id));
      assertThat(counted.isError()).as("undone past the grant's bound").isTrue();
      assertThat(text(counted)).contains("would update 150 rows of app.orders");
      String again = (String) error(counted).get("approval_id");
      assertThat(again).isNotEqualTo(id);
      fixture.approvals().approve(UUID.fromString(again), dba());

      McpSchema.CallToolResult ran =
          call(agent, "query", Map.of("sql", write, "approval_id", again));
      assertThat(ran.isError()).as(text(ran)).isFalse();
      assertThat(((Number) structured(ran).get("row_count")).longValue()).isEqualTo(150);
    }
  }

  /**
   * Red-team round 54: an approval covers what its approver was shown. A session that read the note
   * resumed the approval another session of the same principal got for the same write (held for its
   * count only), and the write ran with nobody having weighed the taint. It is refused, and the
   * approval stays for the session it was given to.
   */
  @Test
  void aTaintedSessionCannotUseAnApprovalGivenWithoutTheTaint() throws Exception {
    String write = "UPDATE app.orders SET total = total WHERE id BETWEEN 1001 AND 1150";
    try (McpSyncClient clean = etl();
        McpSyncClient tainted = etl()) {
      McpSchema.CallToolResult counted = query(clean, write);
      assertThat(text(counted)).contains("would update 150 rows of app.orders");
      assertThat(error(counted).get("rule_ids")).asList().doesNotContain("taint");
      String id = (String) error(counted).get("approval_id");
      fixture.approvals().approve(UUID.fromString(id), dba());

      assertThat(query(tainted, "SELECT note FROM app.orders WHERE id = 1").isError()).isFalse();
      McpSchema.CallToolResult used =
          call(tainted, "query", Map.of("sql", write, "approval_id", id));
      assertThat(used.isError()).isTrue();
      assertThat(error(used)).containsEntry("kind", "approval_refused");
      assertThat(text(used)).contains("also held by rule `taint`", "without `approval_id`");

      McpSchema.CallToolResult ran = call(clean, "query", Map.of("sql", write, "approval_id", id));
      assertThat(ran.isError()).as(text(ran)).isFalse();
      assertThat(((Number) structured(ran).get("row_count")).longValue()).isEqualTo(150);
    }
  }

  /**
   * Red-team round 55: the taint switch holds for two reasons, a copy of untrusted text and a write
   * after reading it, each under a rule id of its own. The approval of a clean session's copy is
   * not taken by a session that read the note; asked from there, the request shows both reasons.
   */
  @Test
  void aCopysApprovalIsNotTakenByASessionThatReadTheNote() throws Exception {
    String copy =
        "UPDATE app.orders SET total = total + 0 * coalesce(length(note), 0) WHERE id = 2";
    try (McpSyncClient clean = etl();
        McpSyncClient tainted = etl()) {
      McpSchema.CallToolResult held = query(clean, copy);
      assertThat(error(held)).containsEntry("rule_ids", List.of("taint-copy"));
      String id = (String) error(held).get("approval_id");
      fixture.approvals().approve(UUID.fromString(id), dba());

      assertThat(query(tainted, "SELECT note FROM app.orders WHERE id = 1").isError()).isFalse();
      McpSchema.CallToolResult used =
          call(tainted, "query", Map.of("sql", copy, "approval_id", id));
      assertThat(used.isError()).isTrue();
      assertThat(text(used)).contains("also held by rule `taint`");

      McpSchema.CallToolResult own = query(tainted, copy);
      assertThat(error(own)).containsEntry("rule_ids", List.of("taint", "taint-copy"));
      assertThat(text(own)).contains("this session read untrusted text", "copies untrusted text");

      McpSchema.CallToolResult ran = call(clean, "query", Map.of("sql", copy, "approval_id", id));
      assertThat(ran.isError()).as(text(ran)).isFalse();
    }
  }

  @Test
  void aSessionThatReadNoUntrustedTextWritesWithoutApproval() {
    try (McpSyncClient agent = etl()) {
      McpSchema.CallToolResult read =
          query(agent, "SELECT id, total FROM app.orders WHERE note IS NOT NULL");
      assertThat(read.isError()).as(text(read)).isFalse();
      McpSchema.CallToolResult write = query(agent, WRITE);
      assertThat(write.isError()).as(text(write)).isFalse();
    }
  }

  /**
   * Red-team round 20: the note used in WHERE is no result, but a cast of it that fails quotes it
   * in the error the agent reads ({@code invalid input syntax for type integer: "gift wrap"}).
   * Round 22: so does a name built from it ({@code relation "gift wrap" does not exist}), whatever
   * the error's class. The session is tainted by that error, and its next write waits for a dba.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT id FROM app.orders WHERE note::int > 0",
        "SELECT 1 FROM app.orders WHERE id = 7 AND quote_ident(note)::regclass IS NOT NULL",
        "SELECT 1 FROM app.orders WHERE id = 7 AND replace(note, ' ', '_')::regproc IS NOT NULL",
        "SELECT 1 FROM app.orders WHERE id = 7 AND quote_ident(note)::regrole IS NOT NULL",
        "SELECT 1 FROM app.orders WHERE id = 7 AND quote_ident(note)::regnamespace IS NOT NULL",
        "SELECT current_setting(replace(note, ' ', '.')) FROM app.orders WHERE id = 7"
      })
  void anErrorThatMayQuoteTheNoteTaintsTheSession(String sql) {
    try (McpSyncClient agent = etl()) {
      McpSchema.CallToolResult failed = query(agent, sql);
      assertThat(failed.isError()).as(text(failed)).isTrue();
      McpSchema.CallToolResult write = query(agent, WRITE);
      assertThat(write.isError()).as(text(write)).isTrue();
      assertThat(error(write))
          .containsEntry("kind", "approval_pending")
          .containsEntry("rule_ids", List.of("taint"));
    }
  }

  /**
   * Red-team round 21: copying the note into a column the switch does not follow, then reading it
   * there, tainted nothing. The copy itself now waits for a dba.
   */
  @Test
  void aWriteThatCopiesTheNoteElsewhereIsHeld() {
    try (McpSyncClient agent = etl()) {
      McpSchema.CallToolResult copy =
          query(
              agent,
              "UPDATE app.payments SET status = (SELECT note FROM app.orders WHERE id = 7)"
                  + " WHERE id = 3");
      assertThat(copy.isError()).as(text(copy)).isTrue();
      assertThat(error(copy))
          .containsEntry("kind", "approval_pending")
          .containsEntry("rule_ids", List.of("taint-copy"));
      assertThat(text(copy)).contains("copies untrusted text from `app.orders.note`");
    }
  }

  @Test
  void anotherSessionOfTheSamePrincipalIsNotTainted() {
    try (McpSyncClient tainted = etl();
        McpSyncClient other = etl()) {
      assertThat(query(tainted, "SELECT * FROM app.orders LIMIT 1").isError()).isFalse();
      assertThat(query(tainted, WRITE).isError()).isTrue();

      McpSchema.CallToolResult write = query(other, WRITE);
      assertThat(write.isError()).as(text(write)).isFalse();
    }
  }

  @Test
  void untrustedTextReadThroughANameLongerThanPostgresKeepsTaintsTheSession() {
    // Red-team round 13: <63 a>x and <63 a>y are one name to PostgreSQL (it keeps 63 bytes), so
    // the note came back while the gateway saw an unknown column, and the write ran unheld.
    String a63 = "a".repeat(63);
    try (McpSyncClient agent = etl()) {
      McpSchema.CallToolResult read =
          query(
              agent,
              "SELECT "
                  + a63
                  + "y || '' AS n FROM (SELECT note AS "
                  + a63
                  + "x FROM app.orders WHERE note IS NOT NULL ORDER BY id LIMIT 2) s");
      assertThat(read.isError()).as(text(read)).isFalse();
      McpSchema.CallToolResult write = query(agent, WRITE);
      assertThat(write.isError()).as(text(write)).isTrue();
      assertThat(error(write))
          .containsEntry("kind", "approval_pending")
          .containsEntry("rule_ids", List.of("taint"));
    }
  }
}
