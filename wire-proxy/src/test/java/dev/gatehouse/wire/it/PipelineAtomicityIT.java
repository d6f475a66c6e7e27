package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The extended protocol's pipelines through the gateway behave as PostgreSQL's: everything up to a
 * Sync is one implicit transaction, undone whole when one message fails (upstream or refused by the
 * gateway), and after the failure the session answers its next message (red-team round 8: a batch's
 * first rows stayed written after a later row failed, because a bounded write committed the
 * gateway's own transaction at once; and a message accepted before an earlier one failed upstream
 * was still owed an answer, so the session hung at its next Query).
 */
class PipelineAtomicityIT {

  static String db;
  static ProxyFixture proxy;

  /** The reference policy without etl-nightly's row bound: its writes run as sent. */
  static ProxyFixture unbounded;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_pipeline_atomic");
    proxy = ProxyFixture.reference(db, "");
    unbounded =
        ProxyFixture.reference(
            db,
            yaml -> {
              String edited = yaml.replace("maxRowsAffected: 100", "");
              if (edited.equals(yaml)) {
                throw new IllegalStateException("the reference policy has no row bound to drop");
              }
              return edited;
            });
  }

  @AfterAll
  static void stop() {
    proxy.close();
    unbounded.close();
  }

  // ---- a failed pipeline leaves the session usable ----------------------------------------

  @ParameterizedTest(name = "first failure: {0}")
  @ValueSource(strings = {"execute", "bind"})
  void afterAnUpstreamErrorInAPipelineTheNextQueryIsAnswered(String failure) throws Exception {
    // A race between the error and the later messages' admission: tried several times.
    for (int i = 0; i < 8; i++) {
      for (ReferencePrincipal who :
          List.of(ReferencePrincipal.ANALYST, ReferencePrincipal.ETL_NIGHTLY)) {
        try (RawClient raw = login(who)) {
          List<FrontendMessage> pipeline = new ArrayList<>(failing(failure));
          for (int k = 0; k < 3; k++) {
            pipeline.addAll(statement("SELECT id FROM app.orders WHERE id = " + (k + 1)));
          }
          pipeline.add(new Sync());
          raw.send(pipeline.toArray(FrontendMessage[]::new));
          List<BackendMessage> answers = raw.until('Z');
          assertThat(errors(answers)).as(who + " " + answers).hasSize(1);
          assertThat(answers).noneMatch(DataRow.class::isInstance);

          raw.send(new Query("SELECT 3"));
          List<BackendMessage> next = raw.until('Z');
          assertThat(next).as(who + ", try " + i).noneMatch(ErrorResponse.class::isInstance);
          assertThat(next).anyMatch(CommandComplete.class::isInstance);
          // and a masked read afterwards is still masked: the answers are still in order
          raw.send(new Query("SELECT email FROM app.customers WHERE id = 1"));
          List<BackendMessage> masked = raw.until('Z');
          assertThat(masked.toString()).doesNotContain(secretEmail());
        }
      }
    }
  }

  @Test
  void afterAnUpstreamErrorInAPipelineInATransactionRollbackIsAnswered() throws Exception {
    for (int i = 0; i < 8; i++) {
      try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
        raw.send(new Query("BEGIN"));
        raw.until('Z');
        List<FrontendMessage> pipeline = new ArrayList<>(failing("execute"));
        pipeline.addAll(statement("UPDATE app.orders SET note = 'in-tx' WHERE id = 7"));
        pipeline.add(new Sync());
        raw.send(pipeline.toArray(FrontendMessage[]::new));
        List<BackendMessage> answers = raw.until('Z');
        assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('E');
        raw.send(new Query("ROLLBACK"));
        assertThat(raw.until('Z')).anyMatch(CommandComplete.class::isInstance);
      }
    }
    assertThat(notes("id = 7", "in-tx")).isZero();
  }

  // ---- all or nothing ----------------------------------------------------------------------

  @Test
  void aBatchWhoseLastRowFailsWritesNothing() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      raw.send(
          new Parse("s1", "UPDATE app.orders SET note = 'batch' WHERE id = $1::bigint", List.of()),
          bind("s1", "11"),
          new Execute("", 0),
          bind("s1", "12"),
          new Execute("", 0),
          bind("s1", "x"),
          new Execute("", 0),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 1", "UPDATE 1");
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("22P02");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id IN (11, 12)", "batch")).isZero();
  }

  @Test
  void aBoundedWriteFollowedByAFailingStatementIsUndone() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'then-fail' WHERE id < 5"));
      pipeline.addAll(statement("SELECT 1 / 0"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 4");
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("22012");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id < 5", "then-fail")).isZero();
  }

  @Test
  void aBoundedWriteFollowedByAStatementTheGatewayRefusesIsUndone() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'then-refused' WHERE id = 21"));
      // etl-nightly never writes customers: refused by the gateway, never sent
      pipeline.addAll(statement("UPDATE app.customers SET email = 'x' WHERE id = 1"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 1");
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id = 21", "then-refused")).isZero();
  }

  @Test
  void anUnboundedWriteFollowedByAStatementTheGatewayRefusesIsUndone() throws Exception {
    try (RawClient raw = login(unbounded, ReferencePrincipal.ETL_NIGHTLY)) {
      raw.send(refusedAfter("UPDATE app.orders SET note = 'unbounded' WHERE id = 51"));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 1");
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
      // and the session goes on, outside a transaction
      raw.send(new Query("UPDATE app.orders SET note = 'after' WHERE id = 52"));
      assertThat(tags(raw.until('Z'))).containsExactly("UPDATE 1");
    }
    assertThat(notes("id = 51", "unbounded")).isZero();
    assertThat(notes("id = 52", "after")).isEqualTo(1);
  }

  @ParameterizedTest(name = "ended by {0}")
  @ValueSource(strings = {"ROLLBACK", "COMMIT"})
  void inTheClientsOwnTransactionARefusalAbortsItAsAnErrorWould(String end) throws Exception {
    for (ProxyFixture p : List.of(unbounded, proxy)) {
      try (RawClient raw = login(p, ReferencePrincipal.ETL_NIGHTLY)) {
        raw.send(new Query("BEGIN"));
        raw.until('Z');
        raw.send(refusedAfter("UPDATE app.orders SET note = 'in-block' WHERE id = 55"));
        List<BackendMessage> answers = raw.until('Z');
        assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
        assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('E');
        raw.send(new Query(end));
        List<BackendMessage> ended = raw.until('Z');
        assertThat(((ReadyForQuery) ended.getLast()).status()).isEqualTo('I');
      }
    }
    assertThat(notes("id = 55", "in-block")).isZero();
  }

  @Test
  void unboundedWritesThatAllSucceedAreCommittedAtTheirSync() throws Exception {
    try (RawClient raw = login(unbounded, ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'pair' WHERE id = 56"));
      pipeline.addAll(statement("UPDATE app.orders SET note = 'pair' WHERE id = 57"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).isEmpty();
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id IN (56, 57)", "pair")).isEqualTo(2);
  }

  @Test
  void anApprovedOverBoundWriteFollowedByAFailingStatementIsUndone() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      raw.socket.setSoTimeout(30_000);
      List<FrontendMessage> pipeline = new ArrayList<>();
      // 299 rows, over etl-nightly's bound of 100: rolled back, held, approved, run again
      pipeline.addAll(statement("UPDATE app.orders SET note = 'approved' WHERE id < 300"));
      pipeline.addAll(statement("SELECT 1 / 0"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
      proxy
          .reference
          .approvals()
          .approve(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 299");
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("22012");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id < 300", "approved")).isZero();
  }

  @Test
  void aPipelineOfBoundedWritesThatAllSucceedIsCommittedAtItsSync() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'both' WHERE id = 31"));
      pipeline.addAll(statement("UPDATE app.orders SET note = 'both' WHERE id = 32"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 1", "UPDATE 1");
      assertThat(errors(answers)).isEmpty();
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
      assertThat(notes("id IN (31, 32)", "both")).isEqualTo(2);
      // the session is outside any transaction afterwards: a ROLLBACK undoes nothing
      raw.send(new Query("ROLLBACK"));
      raw.until('Z');
    }
    assertThat(notes("id IN (31, 32)", "both")).isEqualTo(2);
  }

  @Test
  void aPgJdbcBatchInAutocommitIsAllOrNothing() throws Exception {
    try (Connection c =
            proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, PgJdbcIT.EXTENDED);
        PreparedStatement ps =
            c.prepareStatement("UPDATE app.orders SET note = ? WHERE id = ?::bigint")) {
      c.setAutoCommit(true);
      for (String id : List.of("41", "42", "not a number")) {
        ps.setString(1, "jdbc-batch");
        ps.setString(2, id);
        ps.addBatch();
      }
      assertThat(org.assertj.core.api.Assertions.catchThrowable(ps::executeBatch))
          .isInstanceOf(BatchUpdateException.class);
      assertThat(notes("id IN (41, 42)", "jdbc-batch")).isZero();
      // the same batch without the bad row is written whole
      ps.clearBatch();
      for (String id : List.of("41", "42")) {
        ps.setString(1, "jdbc-batch");
        ps.setString(2, id);
        ps.addBatch();
      }
      assertThat(ps.executeBatch()).containsExactly(1, 1);
    }
    assertThat(notes("id IN (41, 42)", "jdbc-batch")).isEqualTo(2);
  }

  // ---- the client's transaction control in a pipeline (red-team round 9) --------------------

  @Test
  void aRefusalAfterTheClientsBeginInTheSamePipelineAbortsTheBlock() throws Exception {
    for (ProxyFixture p : List.of(proxy, unbounded)) {
      try (RawClient raw = login(p, ReferencePrincipal.ETL_NIGHTLY)) {
        List<FrontendMessage> pipeline = new ArrayList<>(statement("BEGIN"));
        pipeline.addAll(List.of(refusedAfter("UPDATE app.orders SET note = 'r9-a' WHERE id = 71")));
        raw.send(pipeline.toArray(FrontendMessage[]::new));
        List<BackendMessage> answers = raw.until('Z');
        assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
        assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('E');
        List<FrontendMessage> commit = new ArrayList<>(statement("COMMIT"));
        commit.add(new Sync());
        raw.send(commit.toArray(FrontendMessage[]::new));
        List<BackendMessage> ended = raw.until('Z');
        assertThat(tags(ended)).containsExactly("ROLLBACK");
        assertThat(((ReadyForQuery) ended.getLast()).status()).isEqualTo('I');
      }
    }
    assertThat(notes("id = 71", "r9-a")).isZero();
  }

  @ParameterizedTest(name = "ended by {0}")
  @ValueSource(strings = {"ROLLBACK", "COMMIT"})
  void theClientsBeginAfterABoundedWriteMakesTheBlockTheClients(String end) throws Exception {
    String note = "r9-b-" + end;
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = '" + note + "' WHERE id = 72"));
      pipeline.addAll(statement("BEGIN"));
      pipeline.addAll(statement("UPDATE app.orders SET note = '" + note + "' WHERE id = 73"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).isEmpty();
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('T');
      assertThat(notes("id IN (72, 73)", note)).as("nothing committed yet").isZero();
      raw.send(new Query(end));
      assertThat(((ReadyForQuery) raw.until('Z').getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id IN (72, 73)", note)).isEqualTo(end.equals("COMMIT") ? 2 : 0);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "SAVEPOINT a",
        "RELEASE SAVEPOINT a",
        "COMMIT AND CHAIN",
        "/* c */ SAVEPOINT a",
        "-- c\nRELEASE a",
        "/*c*/ROLLBACK TO a",
        "COMMIT AND/**/CHAIN",
        "/*x*/COMMIT AND CHAIN",
        "/*x*/DECLARE c CURSOR FOR SELECT 1",
        "DECLARE c CURSOR /* with hold */ FOR SELECT 1",
        "SAVEPOINT \"a\nb\"",
        "RELEASE \"a\nb\"",
        "ROLLBACK TO \"a\nb\"",
        "DECLARE c CURSOR FOR SELECT '\n'",
        "DECLARE c CURSOR FOR SELECT 'with hold'",
        "DECLARE c CURSOR FOR SELECT 1 AS \"with hold\""
      })
  void savepointsAfterABoundedWriteAreRefusedAsOutsideABlock(String control) throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r9-c' WHERE id = 74"));
      pipeline.addAll(statement(control));
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r9-c' WHERE id = 75"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("25P01");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id IN (74, 75)", "r9-c")).isZero();
  }

  /**
   * PostgreSQL would run a Query sent before the Sync inside the implicit transaction and end it
   * with the Query's outcome (its BEGIN, ROLLBACK or error). The gateway refuses such a Query after
   * a bounded write and rolls the transaction back, as when such a Query fails (red-team rounds 9
   * and 10: committing first kept writes that the Query's ROLLBACK or error undoes).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "SELECT 1",
        "ROLLBACK",
        "SELECT 1 / 0",
        "/* c */ BEGIN",
        "SELECT 1; BEGIN",
        "UPDATE app.customers SET email = 'x' WHERE id = 1"
      })
  void aSimpleQueryAfterABoundedWriteBeforeTheSyncIsRefusedAndUndoesThePipeline(String query)
      throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      raw.send(
          statement("UPDATE app.orders SET note = 'r9-d' WHERE id = 76")
              .toArray(FrontendMessage[]::new));
      raw.send(new Query(query));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 1");
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("0A000");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
      assertThat(notes("id = 76", "r9-d")).isZero();
      // nothing stays locked, and the session goes on: a new pipeline commits at its Sync
      try (Connection admin = TestPostgres.get().connectAsAdmin(db);
          Statement s = admin.createStatement()) {
        s.execute("SET lock_timeout = '2s'");
        assertThat(s.executeUpdate("UPDATE app.orders SET note = note WHERE id = 76")).isOne();
      }
      List<FrontendMessage> next =
          new ArrayList<>(statement("UPDATE app.orders SET note = 'r9-d2' WHERE id = 77"));
      next.add(new Sync());
      raw.send(next.toArray(FrontendMessage[]::new));
      assertThat(((ReadyForQuery) raw.until('Z').getLast()).status()).isEqualTo('I');
      assertOneAnswerEach(raw);
    }
    assertThat(notes("id = 77", "r9-d2")).isEqualTo(1);
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement()) {
      s.executeUpdate("UPDATE app.orders SET note = NULL WHERE id = 77");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parse", "execute"})
  void aQueryAfterExtendedMessagesWithoutSyncIsAnswered(String upTo) throws Exception {
    for (ReferencePrincipal who :
        List.of(ReferencePrincipal.ANALYST, ReferencePrincipal.ETL_NIGHTLY)) {
      try (RawClient raw = login(who)) {
        List<FrontendMessage> pipeline =
            new ArrayList<>(
                upTo.equals("parse")
                    ? List.of(new Parse("", "SELECT 42", List.of()))
                    : statement("SELECT 42"));
        pipeline.add(new Query("SELECT 43"));
        raw.send(pipeline.toArray(FrontendMessage[]::new));
        List<BackendMessage> answers = raw.until('Z');
        assertThat(errors(answers)).isEmpty();
        assertThat(tags(answers))
            .containsExactlyElementsOf(
                upTo.equals("parse") ? List.of("SELECT 1") : List.of("SELECT 1", "SELECT 1"));
        assertOneAnswerEach(raw);
      }
    }
  }

  @Test
  void aClientStatementNamedLikeTheGatewaysOwnDoesNotStopBoundedWrites() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      for (String name : List.of("gatehouse_blast", "gatehouse_blast_run")) {
        raw.send(new Parse(name, "SELECT 42", List.of()), new Sync());
        raw.until('Z');
      }
      List<FrontendMessage> pipeline =
          new ArrayList<>(statement("UPDATE app.orders SET note = 'r9-e' WHERE id = 78"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 1");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id = 78", "r9-e")).isEqualTo(1);
  }

  @Test
  void aQueryAfterARefusalInAPipelineIsDiscardedAsPostgresqlDiscardsIt() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r9-f' WHERE id = 80"));
      pipeline.addAll(statement("UPDATE app.customers SET email = 'x' WHERE id = 1"));
      pipeline.add(new Query("UPDATE app.orders SET note = 'r9-f' WHERE id = 81"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(tags(answers)).containsExactly("UPDATE 1");
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
      assertOneAnswerEach(raw);
    }
    assertThat(notes("id IN (80, 81)", "r9-f")).isZero();
  }

  @ParameterizedTest(name = "failing statement: {0}")
  @ValueSource(strings = {"SELECT 1 / 0", ApprovalAfterPipelineFailureIT.SLOW_FAILURE})
  void aQueryAfterAnUpstreamErrorInAPipelineDoesNotHangTheSession(String failing) throws Exception {
    for (ReferencePrincipal who :
        List.of(ReferencePrincipal.ANALYST, ReferencePrincipal.ETL_NIGHTLY)) {
      try (RawClient raw = login(who)) {
        List<FrontendMessage> pipeline = new ArrayList<>(statement(failing));
        pipeline.add(new Query("SELECT email FROM app.customers WHERE id = 1"));
        pipeline.add(new Sync());
        raw.send(pipeline.toArray(FrontendMessage[]::new));
        List<BackendMessage> answers = raw.until('Z');
        assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("22012");
        assertThat(answers).noneMatch(DataRow.class::isInstance);
        assertOneAnswerEach(raw);
      }
    }
  }

  @Test
  void declareWithoutHoldAfterABoundedWriteIsRefusedAsOutsideABlock() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r9-g' WHERE id = 82"));
      pipeline.addAll(statement("DECLARE c CURSOR FOR SELECT id FROM app.orders"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("25P01");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id = 82", "r9-g")).isZero();
  }

  /**
   * Red-team rounds 47 and 48: LOCK TABLE (and a DECLARE the gateway took for WITH HOLD) after a
   * bounded write ran inside the gateway's own transaction and committed with it, where PostgreSQL
   * refuses it outside a block (25P01) and the implicit transaction, the write with it, is undone.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "LOCK TABLE app.orders IN ACCESS SHARE MODE",
        "lock app.orders in share mode",
        // round 48: a CTE named `hold` made this a cursor WITH HOLD to the gateway
        "DECLARE c1 CURSOR FOR WITH hold AS (SELECT 1 AS x) SELECT x FROM hold"
      })
  void blockOnlyStatementsAfterABoundedWriteAreRefusedAsOutsideABlock(String lock)
      throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>();
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r47-2' WHERE id = 83"));
      pipeline.addAll(statement(lock));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("25P01");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
    }
    assertThat(notes("id = 83", "r47-2")).isZero();
  }

  @Test
  void aFunctionCallAfterABoundedWriteBeforeTheSyncUndoesThePipeline() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline =
          new ArrayList<>(statement("UPDATE app.orders SET note = 'r11-f' WHERE id = 85"));
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      raw.sendRaw(versionCall());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
      assertThat(notes("id = 85", "r11-f")).isZero();
      try (Connection admin = TestPostgres.get().connectAsAdmin(db);
          Statement s = admin.createStatement()) {
        s.execute("SET lock_timeout = '2s'");
        assertThat(s.executeUpdate("UPDATE app.orders SET note = note WHERE id = 85")).isOne();
      }
      raw.send(new Sync());
      assertThat(((ReadyForQuery) raw.until('Z').getLast()).status()).isEqualTo('I');
      assertOneAnswerEach(raw);
    }
    assertThat(notes("id = 85", "r11-f")).isZero();
  }

  @Test
  void aFunctionCallAfterTheClientsBeginInOnePipelineAbortsItsBlock() throws Exception {
    // Red-team round 11: the refusal's ReadyForQuery said I, and a later COMMIT kept the write.
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>(statement("BEGIN"));
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r11-b' WHERE id = 86"));
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      raw.sendRaw(versionCall());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('E');
      raw.send(new Sync());
      assertThat(((ReadyForQuery) raw.until('Z').getLast()).status()).isEqualTo('E');
      raw.send(new Query("COMMIT"));
      List<BackendMessage> end = raw.until('Z');
      assertThat(tags(end)).containsExactly("ROLLBACK");
      assertThat(((ReadyForQuery) end.getLast()).status()).isEqualTo('I');
      assertOneAnswerEach(raw);
    }
    assertThat(notes("id = 86", "r11-b")).isZero();
  }

  @Test
  void aFunctionCallAfterThePipelinesCommitFindsNoBlock() throws Exception {
    // Red-team round 12: the refusal said E after the pipeline's own COMMIT, and the next
    // statement got 25P02; PostgreSQL says I there, and the next statement runs.
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      List<FrontendMessage> pipeline = new ArrayList<>(statement("BEGIN"));
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r12-c1' WHERE id = 87"));
      pipeline.addAll(statement("COMMIT"));
      pipeline.addAll(statement("UPDATE app.orders SET note = 'r12-c2' WHERE id = 88"));
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      raw.sendRaw(versionCall());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).extracting(ErrorResponse::sqlState).containsExactly("42501");
      assertThat(((ReadyForQuery) answers.getLast()).status()).isEqualTo('I');
      raw.send(new Sync());
      assertThat(((ReadyForQuery) raw.until('Z').getLast()).status()).isEqualTo('I');
      assertOneAnswerEach(raw);
    }
    assertThat(notes("id = 87", "r12-c1")).isOne();
    assertThat(notes("id = 88", "r12-c2")).isZero();
  }

  @Test
  void aStatementAfterASearchPathChangeInTheSamePipelineIsDecidedInTheNewPath() throws Exception {
    // Red-team round 12: the SELECT was analysed before the SET completed, so it was decided and
    // recorded as information_schema.customers while PostgreSQL read app.customers.
    String marker = "r12sp" + System.nanoTime();
    try (RawClient raw = login(ReferencePrincipal.ANALYST)) {
      raw.send(new Query("SET search_path = information_schema"));
      assertThat(errors(raw.until('Z'))).isEmpty();
      List<FrontendMessage> pipeline = new ArrayList<>(statement("SET search_path = app"));
      pipeline.addAll(
          statement("SELECT id, '" + marker + "' FROM customers WHERE id <= 3 ORDER BY id"));
      pipeline.add(new Sync());
      raw.send(pipeline.toArray(FrontendMessage[]::new));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(errors(answers)).isEmpty();
      assertThat(tags(answers)).containsExactly("SET", "SELECT 3");
    }
    var settings = proxy.reference.engine().control().settings();
    TestPostgres pg = TestPostgres.get();
    dev.gatehouse.testkit.Eventually.await(
        "the SELECT's record names app.customers",
        java.time.Duration.ofSeconds(20),
        () -> {
          try (Connection c =
                  java.sql.DriverManager.getConnection(
                      settings.jdbcUrl(), pg.adminUser(), pg.adminPassword());
              Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT body FROM "
                          + settings.schema()
                          + ".audit_record WHERE kind = 'STATEMENT' AND body LIKE '%"
                          + marker
                          + "%'")) {
            if (!rs.next()) {
              return false;
            }
            String body = rs.getString(1);
            assertThat(body).contains("\"app.customers\"").doesNotContain("information_schema");
            return true;
          }
        });
  }

  /** A FunctionCall of version() (oid 89): no arguments, a text result; always refused. */
  private static io.netty.buffer.ByteBuf versionCall() {
    return io.netty.buffer.Unpooled.buffer()
        .writeByte('F')
        .writeInt(4 + 4 + 2 + 2 + 2)
        .writeInt(89)
        .writeShort(0)
        .writeShort(0)
        .writeShort(0);
  }

  /** The next Query gets its own answers and one ReadyForQuery: none is left over or missing. */
  private static void assertOneAnswerEach(RawClient raw) throws Exception {
    raw.send(new Query("SELECT 7"));
    List<BackendMessage> next = raw.until('Z');
    assertThat(next).noneMatch(ErrorResponse.class::isInstance);
    assertThat(tags(next)).containsExactly("SELECT 1");
    raw.send(new Query("SELECT 8"));
    assertThat(tags(raw.until('Z'))).containsExactly("SELECT 1");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static RawClient login(ReferencePrincipal who) throws Exception {
    return login(proxy, who);
  }

  private static RawClient login(ProxyFixture p, ReferencePrincipal who) throws Exception {
    RawClient raw =
        RawClient.login(p.server.port(), who.subject(), TestPostgres.SHOP, ProxyFixture.token(who));
    raw.socket.setSoTimeout(20_000); // a hang fails the test, not the build
    return raw;
  }

  /** {@code write}, then a write of app.customers the gateway refuses (never sent), then Sync. */
  private static FrontendMessage[] refusedAfter(String write) {
    List<FrontendMessage> pipeline = new ArrayList<>(statement(write));
    pipeline.addAll(statement("UPDATE app.customers SET email = 'x' WHERE id = 1"));
    pipeline.add(new Sync());
    return pipeline.toArray(FrontendMessage[]::new);
  }

  private static List<FrontendMessage> failing(String where) {
    return where.equals("bind")
        ? List.of(
            new Parse("", "SELECT $1::int", List.of()),
            new Bind("", "", List.of(), List.of(bytes("x")), List.of()),
            new Execute("", 0))
        : statement("SELECT 1 / 0");
  }

  private static List<FrontendMessage> statement(String sql) {
    return List.of(
        new Parse("", sql, List.of()),
        new Bind("", "", List.of(), List.of(), List.of()),
        new Execute("", 0));
  }

  private static Bind bind(String statement, String value) {
    return new Bind("", statement, List.of(), List.of(bytes(value)), List.of());
  }

  private static List<ErrorResponse> errors(List<BackendMessage> answers) {
    return answers.stream()
        .filter(ErrorResponse.class::isInstance)
        .map(ErrorResponse.class::cast)
        .toList();
  }

  private static List<String> tags(List<BackendMessage> answers) {
    return answers.stream()
        .filter(CommandComplete.class::isInstance)
        .map(m -> ((CommandComplete) m).tag())
        .toList();
  }

  /** Rows of app.orders matching {@code where} whose note is {@code note}, read as admin. */
  private static long notes(String where, String note) throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM app.orders WHERE " + where + " AND note = '" + note + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String secretEmail() throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT email FROM app.customers WHERE id = 1")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
