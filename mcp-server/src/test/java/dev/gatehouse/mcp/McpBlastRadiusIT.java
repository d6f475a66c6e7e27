package dev.gatehouse.mcp;

import static dev.gatehouse.mcp.McpClients.call;
import static dev.gatehouse.mcp.McpClients.structured;
import static dev.gatehouse.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalParams;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Blast-radius approval over MCP, as on the wire: etl-nightly may change at most 100 rows without
 * approval (reference policy). A write past that is rolled back and waits for a dba, who sees the
 * exact count; denied, nothing changed; approved, it runs once with the same statement and
 * parameters; a second run is a new request. Its own context: it changes the shop's rows.
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"test.mcp.gate=engine", "test.mcp.context=blast-radius"})
class McpBlastRadiusIT {

  private static final String BLAST = "UPDATE app.orders SET note = $1 WHERE id > $2";

  @LocalServerPort int port;
  @Autowired TestGates.Fixture fixture;
  private McpSyncClient etl;

  @BeforeEach
  void connect() {
    etl = McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.ETL_NIGHTLY));
  }

  @AfterEach
  void close() {
    etl.close();
  }

  @Test
  void aPlainTransactionAroundTheWriteIsCounted() {
    McpSchema.CallToolResult small =
        call(
            etl,
            "query",
            Map.of(
                "sql",
                "BEGIN; UPDATE app.orders SET note = 'tx' WHERE id <= 10; COMMIT",
                "params",
                List.of()));
    assertThat(small.isError()).as(text(small)).isFalse();
    assertThat(count("note = 'tx'")).isEqualTo(10);
    McpSchema.CallToolResult big =
        call(etl, "query", Map.of("sql", "BEGIN; UPDATE app.orders SET note = 'tx2'; COMMIT"));
    assertThat(error(big)).as(text(big)).containsEntry("kind", "approval_pending");
    assertThat(count("note = 'tx2'")).isZero();
  }

  @Test
  void withinTheBoundRunsAtOnce() {
    McpSchema.CallToolResult r =
        call(
            etl,
            "query",
            Map.of(
                "sql",
                "UPDATE app.orders SET note = $1 WHERE customer_id <= $2",
                "params",
                List.of("small", "10")));
    assertThat(r.isError()).as(text(r)).isFalse();
    assertThat(((Number) structured(r).get("row_count")).longValue()).isEqualTo(50);
    assertThat(count("note = 'small'")).isEqualTo(50);
  }

  @Test
  void pastTheBoundShowsTheCountDeniedChangesNothingApprovedRunsOnce() throws Exception {
    // Denied while the caller waits: nothing changed.
    Set<UUID> before = pendingIds();
    CompletableFuture<McpSchema.CallToolResult> first = blast("denied", "0");
    ApprovalRequest held = pending(before);
    assertThat(held.reasons()).contains("would update 5,000 rows of app.orders");
    assertThat(held.ruleIds()).contains("max-rows-affected");
    // The audit keeps parameters as keyed hashes here (the default): so does the request.
    assertThat(held.params()).hasSize(2).allMatch(p -> p.startsWith(ApprovalParams.HASHED));
    assertThat(held.params()).doesNotContain("denied", "0");
    fixture.approvals().deny(held.id(), dba(), "too many");
    McpSchema.CallToolResult refused = first.get(30, TimeUnit.SECONDS);
    assertThat(refused.isError()).isTrue();
    assertThat(error(refused)).containsEntry("kind", "approval_refused");
    assertThat(count("note = 'denied'")).isZero();

    // Again: a new request; the caller stops waiting and resumes with the id once approved.
    McpSchema.CallToolResult pending = blast("approved", "0").get(30, TimeUnit.SECONDS);
    assertThat(error(pending)).containsEntry("kind", "approval_pending");
    UUID id = UUID.fromString((String) error(pending).get("approval_id"));
    assertThat(id).isNotEqualTo(held.id());
    assertThat(text(pending)).contains("would update 5,000 rows of app.orders");
    assertThat(count("note = 'approved'")).isZero();
    fixture.approvals().approve(id, dba());

    // Other parameters under the id: refused, and the approval stays usable.
    McpSchema.CallToolResult other = resume(id, "approved", "4000");
    assertThat(other.isError()).isTrue();
    assertThat(text(other)).contains("different parameters");
    assertThat(count("note = 'approved'")).isZero();

    McpSchema.CallToolResult ran = resume(id, "approved", "0");
    assertThat(ran.isError()).as(text(ran)).isFalse();
    assertThat(((Number) structured(ran).get("row_count")).longValue()).isEqualTo(5000);
    assertThat(structured(ran)).containsEntry("approval_id", id.toString());
    assertThat(count("note = 'approved'")).isEqualTo(5000);
    assertThat(fixture.approvals().find(id).orElseThrow().state()).isEqualTo(ApprovalState.USED);

    // The approval is used: the same id again runs nothing.
    McpSchema.CallToolResult twice = resume(id, "approved-twice", "0");
    assertThat(twice.isError()).isTrue();
    assertThat(count("note = 'approved-twice'")).isZero();

    // A second execution without an id is held again: a new request, nothing changed.
    McpSchema.CallToolResult second = blast("second", "0").get(30, TimeUnit.SECONDS);
    assertThat(error(second)).containsEntry("kind", "approval_pending");
    assertThat(error(second).get("approval_id")).isNotIn(id.toString(), held.id().toString());
    assertThat(count("note = 'second'")).isZero();
  }

  @Test
  void approvedWhileWaitingRunsOnceWithTheSameParameters() throws Exception {
    Set<UUID> before = pendingIds();
    CompletableFuture<McpSchema.CallToolResult> call = blast("waited", "10");
    ApprovalRequest held = pending(before);
    assertThat(held.reasons()).contains("would update 4,990 rows of app.orders");
    fixture.approvals().approve(held.id(), dba());
    McpSchema.CallToolResult r = call.get(30, TimeUnit.SECONDS);
    assertThat(r.isError()).as(text(r)).isFalse();
    assertThat(((Number) structured(r).get("row_count")).longValue()).isEqualTo(4990);
    assertThat(count("note = 'waited'")).isEqualTo(4990);
  }

  /**
   * Red-team R5: the approval is for the count the approver saw. Rows added to what the write
   * selects while it waits make the approved run change more: undone, it asks again.
   */
  @Test
  void theApprovedRunIsBoundByTheCountTheApproverSaw() throws Exception {
    String sql = "UPDATE app.orders SET total = total, note = 'done' WHERE note = $1";
    grow(1, 75);
    grow(76, 150);
    McpSchema.CallToolResult pending =
        call(etl, "query", Map.of("sql", sql, "params", List.of("grow")));
    assertThat(error(pending)).as(text(pending)).containsEntry("kind", "approval_pending");
    assertThat(text(pending)).contains("would update 150 rows of app.orders");
    UUID first = UUID.fromString((String) error(pending).get("approval_id"));
    grow(151, 250);
    grow(251, 350);
    fixture.approvals().approve(first, dba());

    McpSchema.CallToolResult again =
        call(
            etl,
            "query",
            Map.of("sql", sql, "params", List.of("grow"), "approval_id", first.toString()));
    assertThat(error(again)).as(text(again)).containsEntry("kind", "approval_pending");
    assertThat(text(again))
        .contains("would update 350 rows of app.orders")
        .contains("the approval was for 150");
    assertThat(count("note = 'done'")).isZero();
    UUID second = UUID.fromString((String) error(again).get("approval_id"));
    assertThat(second).isNotEqualTo(first);
    fixture.approvals().approve(second, dba());
    McpSchema.CallToolResult ran =
        call(
            etl,
            "query",
            Map.of("sql", sql, "params", List.of("grow"), "approval_id", second.toString()));
    assertThat(ran.isError()).as(text(ran)).isFalse();
    assertThat(((Number) structured(ran).get("row_count")).longValue()).isEqualTo(350);
    assertThat(count("note = 'done'")).isEqualTo(350);
  }

  private void grow(int from, int to) {
    McpSchema.CallToolResult r =
        call(
            etl,
            "query",
            Map.of(
                "sql",
                "UPDATE app.orders SET note = 'grow' WHERE id BETWEEN " + from + " AND " + to));
    assertThat(r.isError()).as(text(r)).isFalse();
  }

  /** Red-team R17: the read-only `explain` tool never runs a statement stacked after the first. */
  @Test
  void explainTakesOneStatementOnly() {
    McpSchema.CallToolResult stacked =
        call(
            etl,
            "explain",
            Map.of("sql", "SELECT 1; UPDATE app.orders SET note = 'explained' WHERE id <= 50"));
    assertThat(stacked.isError()).isTrue();
    assertThat(text(stacked)).contains("takes one statement");
    assertThat(count("note = 'explained'")).isZero();
    McpSchema.CallToolResult one = call(etl, "explain", Map.of("sql", "SELECT 1;"));
    assertThat(one.isError()).as(text(one)).isFalse();
  }

  /** Red-team R15: a tautology in the parameters is counted like any other write over MCP. */
  @Test
  void parameterTautologiesAreCounted() {
    for (Map.Entry<String, List<String>> c :
        Map.of(
                "UPDATE app.payments SET status = status WHERE coalesce($1::boolean, id > 990)",
                List.of("true"),
                "UPDATE app.payments SET status = status WHERE id > 990 OR id <= $1::int",
                List.of("990"),
                "UPDATE app.payments SET status = status WHERE status <> $1",
                List.of("nope"))
            .entrySet()) {
      McpSchema.CallToolResult r =
          call(etl, "query", Map.of("sql", c.getKey(), "params", c.getValue()));
      assertThat(error(r))
          .as(c.getKey() + ": " + text(r))
          .containsEntry("kind", "approval_pending");
    }
  }

  @Test
  void returningRowsAreCountedPastTheRowsReturned() throws Exception {
    // 100 rows: within the bound, although only 5 come back.
    McpSchema.CallToolResult within =
        call(
            etl,
            "query",
            Map.of(
                "sql",
                "UPDATE app.orders SET note = 'ret' WHERE id > 4900 RETURNING id",
                "max_rows",
                5));
    assertThat(within.isError()).as(text(within)).isFalse();
    assertThat(McpClients.rows(within)).hasSize(5);
    assertThat(structured(within)).containsEntry("truncated", true);
    assertThat(count("note = 'ret'")).isEqualTo(100);

    // 101 rows: held with the exact count, rolled back.
    String sql = "UPDATE app.orders SET note = 'ret2' WHERE id > 4899 RETURNING id";
    Set<UUID> before = pendingIds();
    CompletableFuture<McpSchema.CallToolResult> call =
        CompletableFuture.supplyAsync(() -> call(etl, "query", Map.of("sql", sql, "max_rows", 5)));
    ApprovalRequest held = pending(before);
    assertThat(held.reasons()).contains("would update 101 rows of app.orders");
    fixture.approvals().deny(held.id(), dba(), "no");
    assertThat(call.get(30, TimeUnit.SECONDS).isError()).isTrue();
    assertThat(count("note = 'ret2'")).isZero();
  }

  /**
   * Red-team round 38: the rows a SELECT beside the write returned were counted as rows changed.
   * Within the bound it runs; past it the request shows the rows the write changed.
   */
  @Test
  void rowsReadBesideTheWriteAreNotCounted() throws Exception {
    for (String sql :
        List.of(
            "UPDATE app.orders SET note = 'read1' WHERE id = 1;"
                + " SELECT g FROM generate_series(1, 300) g",
            "SELECT id FROM app.orders WHERE id <= 150;"
                + " UPDATE app.orders SET note = 'read1' WHERE id = 2")) {
      McpSchema.CallToolResult r = call(etl, "query", Map.of("sql", sql));
      assertThat(r.isError()).as(sql + ": " + text(r)).isFalse();
    }
    assertThat(count("note = 'read1'")).isEqualTo(2);

    String over =
        "SELECT g FROM generate_series(1, 300) g;"
            + " UPDATE app.orders SET note = 'read2' WHERE id <= 150 RETURNING id";
    Set<UUID> before = pendingIds();
    CompletableFuture<McpSchema.CallToolResult> call =
        CompletableFuture.supplyAsync(() -> call(etl, "query", Map.of("sql", over)));
    ApprovalRequest held = pending(before);
    assertThat(held.reasons()).contains("would update 150 rows of app.orders");
    fixture.approvals().deny(held.id(), dba(), "no");
    assertThat(call.get(30, TimeUnit.SECONDS).isError()).isTrue();
    assertThat(count("note = 'read2'")).isZero();
  }

  @Test
  void writesThatCannotBeCountedWaitWithoutRunning() throws Exception {
    for (String sql :
        List.of(
            "WITH x AS (UPDATE app.orders SET note = 'cte' WHERE id > 0 RETURNING 1)"
                + " SELECT count(*) FROM x",
            "UPDATE app.orders SET note = 'cte' WHERE id = 1; COMMIT")) {
      McpSchema.CallToolResult r = call(etl, "query", Map.of("sql", sql));
      assertThat(error(r)).as(text(r)).containsEntry("kind", "approval_pending");
      assertThat(text(r)).contains("cannot be counted");
      assertThat(count("note = 'cte'")).as(sql).isZero();
    }
  }

  private CompletableFuture<McpSchema.CallToolResult> blast(String note, String above) {
    return CompletableFuture.supplyAsync(
        () -> call(etl, "query", Map.of("sql", BLAST, "params", List.of(note, above))));
  }

  private McpSchema.CallToolResult resume(UUID id, String note, String above) {
    return call(
        etl,
        "query",
        Map.of("sql", BLAST, "params", List.of(note, above), "approval_id", id.toString()));
  }

  private Set<UUID> pendingIds() {
    return fixture.approvals().pending().stream()
        .map(ApprovalRequest::id)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The one pending request not in {@code known}, waiting for it to appear. */
  private ApprovalRequest pending(Set<UUID> known) {
    Eventually.await("an approval request", Duration.ofSeconds(5), () -> newPending(known) != null);
    return newPending(known);
  }

  private ApprovalRequest newPending(Set<UUID> known) {
    for (ApprovalRequest r : fixture.approvals().pending()) {
      if (!known.contains(r.id()) && r.ruleIds().contains("max-rows-affected")) {
        return r;
      }
    }
    return null;
  }

  private long count(String where) {
    McpSchema.CallToolResult r =
        call(etl, "query", Map.of("sql", "SELECT count(*) FROM app.orders WHERE " + where));
    assertThat(r.isError()).as(text(r)).isFalse();
    return Long.parseLong(McpClients.rows(r).getFirst().getFirst());
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
    Object e = structured(r).get("error");
    return e == null ? Map.of() : (Map<String, Object>) e;
  }
}
