package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pipeline whose earlier message fails upstream before a later Execute of a statement held for
 * approval: the server discards everything up to the Sync, so the held statement must not run at
 * all, not on the session's connection (where the gateway would wait for answers that never come)
 * and not on a connection of the approved role's own (where it would run although the client's
 * pipeline failed), and no approver is asked about it. The client gets the earlier error once and
 * ReadyForQuery, and the session goes on.
 */
class ApprovalAfterPipelineFailureIT {

  static final String SLOW_FAILURE =
      "SELECT 1 / (count(*) - count(*)) FROM generate_series(1, 3000000)";

  static String db;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_approval_pipeline");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest(name = "{0}, in a transaction: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // approved as gatehouse_owner (the reference policy), on a connection of its own
        "UPDATE app.payments SET status = 'pipeline' WHERE $1::boolean|false",
        "UPDATE app.payments SET status = 'pipeline' WHERE $1::boolean|true",
        "UPDATE app.orders SET note = 'pipeline' WHERE $1::boolean|false",
        "UPDATE app.orders SET note = 'pipeline' WHERE $1::boolean|true",
      })
  void anExecuteHeldBehindAFailingMessageAsksNoOneAndDoesNotRun(String held, boolean inTransaction)
      throws Exception {
    String table = held.contains("payments") ? "app.payments" : "app.orders";
    String column = held.contains("payments") ? "status" : "note";
    try (RawClient raw = etl()) {
      if (inTransaction) {
        raw.send(new Query("BEGIN"));
        raw.until('Z');
      }
      raw.send(
          // admitted, and fails upstream only after a while (division by zero once counted): the
          // held Execute behind it is not put to an approver until it is answered, and then not
          // at all (until stop 28 the approval was asked at once, and an approval given before
          // or after the error had to be thrown away)
          new Parse("bad", SLOW_FAILURE, List.of()),
          new Bind("", "bad", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Parse("held", held, List.of()),
          new Bind("p", "held", List.of(), List.of(bytes("true")), List.of()),
          new Execute("p", 0),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertOneError(answers, "22012");
      assertThat(proxy.reference.approvals().pending())
          .as("approval requests for an Execute PostgreSQL skipped")
          .isEmpty();
      assertThat(changed(table, column)).as("rows the held statement changed").isZero();
      assertUsable(raw, inTransaction);
    }
  }

  /**
   * Red-team round 18, second half: the held statement's own Bind fails upstream (a parameter that
   * is no boolean), so PostgreSQL skips its Execute. Nobody is asked to approve it, and the client
   * gets the Bind's error and ReadyForQuery instead of waiting for a human.
   */
  @ParameterizedTest(name = "in a transaction: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void anExecuteHeldForApprovalWhoseBindFailedAsksNoOne(boolean inTransaction) throws Exception {
    String held = "UPDATE app.payments SET status = 'pipeline' WHERE $1::boolean";
    try (RawClient raw = etl()) {
      if (inTransaction) {
        raw.send(new Query("BEGIN"));
        raw.until('Z');
      }
      raw.send(
          new Parse("held-bind", held, List.of()),
          new Bind("", "held-bind", List.of(), List.of(bytes("neither")), List.of()),
          new Execute("", 0),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertOneError(answers, "22P02");
      assertThat(proxy.reference.approvals().pending())
          .as("approval requests for an Execute PostgreSQL skipped")
          .isEmpty();
      assertThat(changed("app.payments", "status")).isZero();
      assertUsable(raw, inTransaction);
    }
  }

  /**
   * Red-team round 46: a write whose rows cannot be counted (a write in a CTE) is held at its
   * Execute for a dba. Its Parse and Bind are answered and the notice naming the request reaches
   * the client before it waits; it used to hear nothing at all until a dba decided.
   */
  @org.junit.jupiter.api.Test
  void aWriteWhoseRowsCannotBeCountedTellsItsClientWhatItWaitsFor() throws Exception {
    String held =
        "WITH u AS (UPDATE app.payments SET status = 'pipeline' WHERE id = 1 RETURNING *)"
            + " SELECT id FROM u";
    try (RawClient raw = etl()) {
      raw.send(
          new Parse("", held, List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync());
      List<BackendMessage> before = raw.until('N'); // read while nobody has decided yet
      assertThat(before)
          .map(m -> m.getClass().getSimpleName())
          .containsExactly("ParseComplete", "BindComplete", "NoticeResponse");
      var pending = proxy.reference.approvals().pending();
      assertThat(pending).hasSize(1);
      assertThat(((dev.gatehouse.wire.protocol.backend.NoticeResponse) before.getLast()).message())
          .contains("waiting for approval `" + pending.getFirst().id() + "`");
      proxy
          .reference
          .approvals()
          .deny(
              pending.getFirst().id(),
              ApprovalIT.principal(proxy, ReferencePrincipal.DBA),
              "not in a pipeline");
      assertOneError(raw.until('Z'), "42501");
      assertThat(changed("app.payments", "status")).isZero();
      assertUsable(raw, false);
    }
  }

  /**
   * Red-team round 47: an approved portal fetched a portion at a time asks once. Its first Execute
   * runs the write (to its end, as PostgreSQL runs a write in a CTE) on the approval; the next
   * Executes fetch the rest of that run's rows and ask no one again.
   */
  @org.junit.jupiter.api.Test
  void anApprovedPortalFetchedAPortionAtATimeAsksOnce() throws Exception {
    String held =
        "WITH u AS (UPDATE app.payments SET status = 'pipeline' WHERE id BETWEEN 9 AND 12"
            + " RETURNING id) SELECT id FROM u ORDER BY id";
    try (RawClient raw = etl()) {
      raw.send(
          new Parse("", held, List.of()),
          new Bind("p", "", List.of(), List.of(), List.of()),
          new Execute("p", 1),
          new Execute("p", 1),
          new Execute("p", 0),
          new Sync());
      raw.until('N');
      var pending = proxy.reference.approvals().pending();
      assertThat(pending).hasSize(1);
      proxy
          .reference
          .approvals()
          .approve(pending.getFirst().id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).noneMatch(ErrorResponse.class::isInstance);
      assertThat(answers)
          .noneMatch(dev.gatehouse.wire.protocol.backend.NoticeResponse.class::isInstance);
      assertThat(answers)
          .filteredOn(dev.gatehouse.wire.protocol.backend.DataRow.class::isInstance)
          .hasSize(4);
      assertThat(proxy.reference.approvals().pending()).isEmpty();
    }
    assertThat(changed("app.payments", "status")).isEqualTo(4);
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement()) {
      // as the shop's seed set them, for the other tests of this class
      s.execute(
          "UPDATE app.payments SET status = CASE WHEN customer_id % 3 = 0 THEN 'settled'"
              + " ELSE 'pending' END WHERE status = 'pipeline'");
    }
  }

  /** The same write behind a message that fails upstream asks no one. */
  @org.junit.jupiter.api.Test
  void aWriteWhoseRowsCannotBeCountedBehindAFailureAsksNoOne() throws Exception {
    String held =
        "WITH u AS (UPDATE app.payments SET status = 'pipeline' WHERE id = 1 RETURNING *)"
            + " SELECT id FROM u";
    try (RawClient raw = etl()) {
      raw.send(
          new Parse("bad", SLOW_FAILURE, List.of()),
          new Bind("", "bad", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Parse("held", held, List.of()),
          new Bind("p", "held", List.of(), List.of(), List.of()),
          new Execute("p", 0),
          new Sync());
      assertOneError(raw.until('Z'), "22012");
      assertThat(proxy.reference.approvals().pending()).isEmpty();
      assertThat(changed("app.payments", "status")).isZero();
      assertUsable(raw, false);
    }
  }

  private static RawClient etl() throws Exception {
    return proxy.raw(ReferencePrincipal.ETL_NIGHTLY);
  }

  private static void assertOneError(List<BackendMessage> answers, String sqlState) {
    List<ErrorResponse> errors =
        answers.stream()
            .filter(ErrorResponse.class::isInstance)
            .map(ErrorResponse.class::cast)
            .toList();
    assertThat(errors).as(answers.toString()).hasSize(1);
    assertThat(errors.getFirst().sqlState()).isEqualTo(sqlState);
    assertThat(answers).noneMatch(CommandComplete.class::isInstance);
  }

  /** The session goes on: the block (if any) ends, and the next statement runs. */
  private static void assertUsable(RawClient raw, boolean inTransaction) throws Exception {
    raw.send(new Query(inTransaction ? "ROLLBACK" : "SELECT 1"));
    assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
    raw.send(new Query("SELECT 2"));
    List<BackendMessage> after = raw.until('Z');
    assertThat(after).noneMatch(ErrorResponse.class::isInstance);
    assertThat(after).anyMatch(CommandComplete.class::isInstance);
  }

  /**
   * An approved statement that runs as another role, on a connection of its own, cannot join the
   * implicit transaction of the statements before it in the pipeline: refused (42501), and the
   * pipeline fails as a whole, the earlier write undone.
   */
  @org.junit.jupiter.api.Test
  void anApprovedStatementOfAnotherRoleIsNotRunAfterStatementsOfItsPipeline() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            ReferencePrincipal.ETL_NIGHTLY.subject(),
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY))) {
      raw.socket.setSoTimeout(30_000);
      String held = "UPDATE app.payments SET status = 'after-write' WHERE $1::boolean";
      raw.send(
          new Parse("", "UPDATE app.orders SET note = 'before-held' WHERE id = 61", List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Parse("held", held, List.of()),
          new Bind("p", "held", List.of(), List.of(bytes("true")), List.of()),
          new Execute("p", 0),
          new Sync());
      // Refused before anyone is asked (red-team round 33: a dba approved it, then it was
      // refused; nobody approves a statement that cannot run).
      List<BackendMessage> answers = raw.until('Z');
      assertThat(proxy.reference.approvals().pending()).isEmpty();
      List<ErrorResponse> errors =
          answers.stream()
              .filter(ErrorResponse.class::isInstance)
              .map(ErrorResponse.class::cast)
              .toList();
      assertThat(errors).as(answers.toString()).hasSize(1);
      assertThat(errors.getFirst().sqlState()).isEqualTo("42501");
      assertThat(errors.getFirst().message()).contains("send a Sync before it");
    }
    assertThat(count("app.payments", "status", "after-write")).isZero();
    assertThat(count("app.orders", "note", "before-held"))
        .as("the write before it, undone with the pipeline")
        .isZero();
  }

  private static long changed(String table, String column) throws Exception {
    return count(table, column, "pipeline");
  }

  private static long count(String table, String column, String value) throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM " + table + " WHERE " + column + " = '" + value + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
