package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
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
import org.junit.jupiter.api.Test;

/**
 * A block the gateway aborted (it refused a statement in it; upstream the block lives on) ends as
 * PostgreSQL's would, whatever the extended protocol does meanwhile, and the session's search_path
 * follows the rollbacks the gateway makes itself (red-team round 20).
 */
class AbortedBlockDriftIT {

  /** Refused under the reference policy (a function no grant names): it aborts a block. */
  private static final String REFUSED = "SELECT pg_sleep(0)";

  static String db;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_aborted_block_drift");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** A Parse of ROLLBACK TO that never runs does not lift the abort: the COMMIT rolls back. */
  @Test
  void aParsedRollbackToThatNeverRunsLeavesTheBlockAborted() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      abortedAfterWrite(raw, "r20-parsed-rollback-to", 4);
      raw.send(
          new Parse("r", "ROLLBACK TO SAVEPOINT s", List.of()),
          new Parse("", "COMMIT", List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).contains(new CommandComplete("ROLLBACK"));
      assertThat(answers.getLast()).isEqualTo(new ReadyForQuery('I'));
    }
    assertThat(status(4)).isNotEqualTo("r20-parsed-rollback-to");
  }

  /** A COMMIT prepared before the block failed rolls back all the same when executed after. */
  @Test
  void aCommitPreparedBeforeTheRefusalRollsBack() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      raw.send(new Query("BEGIN"));
      raw.until('Z');
      raw.send(new Parse("early-commit", "COMMIT", List.of()), new Sync());
      raw.until('Z');
      raw.send(new Query("UPDATE app.payments SET status = 'r20-early-commit' WHERE id = 5"));
      raw.until('Z');
      raw.send(new Query(REFUSED));
      assertThat(raw.until('Z').getLast()).isEqualTo(new ReadyForQuery('E'));
      raw.send(
          new Bind("", "early-commit", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).contains(new CommandComplete("ROLLBACK"));
      assertThat(answers.getLast()).isEqualTo(new ReadyForQuery('I'));
    }
    assertThat(status(5)).isNotEqualTo("r20-early-commit");
  }

  /** A statement prepared before the block failed is refused (25P02) when executed after. */
  @Test
  void aStatementPreparedBeforeTheRefusalDoesNotRunAfterIt() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      raw.send(new Query("BEGIN"));
      raw.until('Z');
      raw.send(
          new Parse(
              "late-write",
              "UPDATE app.payments SET status = 'r20-late-write' WHERE id = 6",
              List.of()),
          new Sync());
      raw.until('Z');
      raw.send(new Query(REFUSED));
      raw.until('Z');
      raw.send(
          new Bind("", "late-write", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers)
          .anyMatch(m -> m instanceof ErrorResponse e && e.sqlState().equals("25P02"));
      assertThat(answers).noneMatch(CommandComplete.class::isInstance);
      raw.send(new Query("COMMIT"));
      assertThat(raw.until('Z')).contains(new CommandComplete("ROLLBACK"));
    }
    assertThat(status(6)).isNotEqualTo("r20-late-write");
  }

  /**
   * A COMMIT parsed under a name in an aborted block is a COMMIT when executed in a later, healthy
   * block (it was rewritten to ROLLBACK at its Parse, under its name, for good).
   */
  @Test
  void aCommitParsedInAnAbortedBlockCommitsInTheNextBlock() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ANALYST)) {
      simple(raw, "SET search_path = app");
      simple(raw, "BEGIN");
      simple(raw, REFUSED);
      raw.send(new Parse("c", "COMMIT", List.of()), new Sync());
      raw.until('Z');
      simple(raw, "ROLLBACK");
      simple(raw, "BEGIN");
      assertThat(simple(raw, "SET search_path = pg_catalog"))
          .noneMatch(ErrorResponse.class::isInstance);
      raw.send(new Bind("", "c", List.of(), List.of(), List.of()), new Execute("", 0), new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).contains(new CommandComplete("COMMIT"));
      assertThat(show(raw)).isEqualTo("pg_catalog");
      // the gateway judges names in that path too: app.customers is no `customers` there
      assertThat(simple(raw, "SELECT id FROM customers LIMIT 1"))
          .anyMatch(m -> m instanceof ErrorResponse);
      simple(raw, "SET search_path = app");
      assertThat(simple(raw, "SELECT id FROM customers LIMIT 1"))
          .noneMatch(ErrorResponse.class::isInstance);
    }
  }

  /**
   * A SET in a pipeline the gateway then refuses a message of is rolled back with it, in PostgreSQL
   * and in the gateway's reading of the session.
   */
  @Test
  void aSetInAPipelineTheGatewayRefusedIsUndoneThereAndHere() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ANALYST)) {
      simple(raw, "SET search_path = app");
      assertThat(simple(raw, "SELECT id FROM customers LIMIT 1"))
          .noneMatch(ErrorResponse.class::isInstance);
      raw.send(
          new Parse("", "SET search_path = pg_catalog", List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Parse("", REFUSED, List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync());
      assertThat(raw.until('Z')).anyMatch(ErrorResponse.class::isInstance);
      assertThat(show(raw)).isEqualTo("app");
      assertThat(simple(raw, "SELECT id FROM customers LIMIT 1"))
          .noneMatch(ErrorResponse.class::isInstance);
    }
  }

  /**
   * Red-team round 21: a simple-Query COMMIT AND CHAIN in an aborted block rolls back and opens the
   * next block (it was sent as a plain ROLLBACK, and the statements after it committed alone).
   */
  @Test
  void aCommitAndChainOfAnAbortedBlockOpensTheNextBlock() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      abortedAfterWrite(raw, "r21-chain-first", 7);
      List<BackendMessage> chained = simple(raw, "COMMIT AND CHAIN");
      assertThat(chained).contains(new CommandComplete("ROLLBACK"));
      assertThat(chained.getLast()).isEqualTo(new ReadyForQuery('T'));
      simple(raw, "UPDATE app.payments SET status = 'r21-chain-second' WHERE id = 7");
      assertThat(simple(raw, "ROLLBACK").getLast()).isEqualTo(new ReadyForQuery('I'));
    }
    assertThat(status(7)).isNotIn("r21-chain-first", "r21-chain-second");
  }

  /**
   * Red-team round 21: a message that begins with COMMIT in an aborted block is refused (25P02)
   * rather than rewritten whole to ROLLBACK, which dropped the rest of it unanswered.
   */
  @Test
  void aMessageThatEndsAnAbortedBlockAndGoesOnIsRefused() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      abortedAfterWrite(raw, "r21-message-first", 8);
      List<BackendMessage> answers =
          simple(raw, "COMMIT; UPDATE app.payments SET status = 'r21-message-rest' WHERE id = 8");
      assertThat(answers)
          .anyMatch(m -> m instanceof ErrorResponse e && e.sqlState().equals("25P02"));
      assertThat(answers).noneMatch(CommandComplete.class::isInstance);
      assertThat(simple(raw, "ROLLBACK")).contains(new CommandComplete("ROLLBACK"));
    }
    assertThat(status(8)).isNotIn("r21-message-first", "r21-message-rest");
  }

  private static void abortedAfterWrite(RawClient raw, String status, int id) throws Exception {
    simple(raw, "BEGIN");
    simple(raw, "UPDATE app.payments SET status = '" + status + "' WHERE id = " + id);
    assertThat(simple(raw, REFUSED).getLast()).isEqualTo(new ReadyForQuery('E'));
  }

  private static List<BackendMessage> simple(RawClient raw, String sql) throws Exception {
    raw.send(new Query(sql));
    return raw.until('Z');
  }

  private static String show(RawClient raw) throws Exception {
    for (BackendMessage m : simple(raw, "SHOW search_path")) {
      if (m instanceof DataRow row) {
        return new String(row.cells().getFirst(), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("SHOW search_path returned no row");
  }

  private static RawClient login(ReferencePrincipal who) throws Exception {
    return proxy.raw(who);
  }

  private static String status(int id) throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM app.payments WHERE id = " + id)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
