package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Close;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The names a session creates (SQL prepared statements, cursors, protocol statements and portals)
 * as the gateway knows them must never name another query than PostgreSQL runs under them (red-team
 * round 14): after a failed message, a rollback to a savepoint, a refused Parse or Bind, or a
 * portal that shares a cursor's name, the gateway forgets the name and refuses its use rather than
 * judge it by a query that is no longer the one behind it. Round 15: protocol and SQL names share
 * PostgreSQL's namespaces (a SQL DEALLOCATE frees a protocol statement, a SQL CLOSE or DECLARE a
 * portal), portals end with their transaction, and names past 63 bytes are one name to PostgreSQL.
 */
class SessionNamesIT {

  private static final String SSN = "219-09-9999";
  private static final String FULL_NAME = "SELECT id, full_name || '' AS v FROM app.customers";
  private static final String SSN_QUERY = "SELECT id, ssn || '' AS v FROM app.customers";

  static String db;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_session_names");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static RawClient analyst() throws Exception {
    return proxy.raw(ReferencePrincipal.ANALYST);
  }

  /** Everything the server answered up to ReadyForQuery, as text: no clear SSN may be in it. */
  private static String query(RawClient raw, String sql) throws Exception {
    raw.send(new Query(sql));
    return new String(raw.rawUntil('Z'), StandardCharsets.UTF_8);
  }

  private static String pipeline(
      RawClient raw, dev.gatehouse.wire.protocol.frontend.FrontendMessage... m) throws Exception {
    raw.send(m);
    return new String(raw.rawUntil('Z'), StandardCharsets.UTF_8);
  }

  private static Bind bind(String portal, String statement) {
    return new Bind(portal, statement, List.of(), List.of(), List.of());
  }

  @Test
  void aPrepareInAFailedMessageIsForgottenNotJudgedByTheStatementItReplaced() throws Exception {
    try (RawClient raw = analyst()) {
      query(raw, "PREPARE p9 AS " + FULL_NAME + " WHERE id <= 3");
      String failed =
          query(raw, "DEALLOCATE p9; PREPARE p9 AS " + SSN_QUERY + " WHERE id <= 3; SELECT 1/0");
      assertThat(failed).contains("22012");
      String executed = query(raw, "EXECUTE p9");
      assertThat(executed).doesNotContain(SSN).contains("42501");
    }
  }

  @Test
  void aCursorRedeclaredInAFailedMessageIsForgottenAfterARollbackToASavepoint() throws Exception {
    try (RawClient raw = analyst()) {
      query(raw, "BEGIN");
      query(raw, "DECLARE h CURSOR FOR " + FULL_NAME + " WHERE id <= 3");
      query(
          raw,
          "CLOSE h; DECLARE h CURSOR FOR "
              + SSN_QUERY
              + " WHERE id <= 3; SAVEPOINT a;"
              + " SELECT 1/0");
      query(raw, "ROLLBACK TO SAVEPOINT a");
      String fetched = query(raw, "FETCH 3 FROM h");
      assertThat(fetched).doesNotContain(SSN);
      query(raw, "ROLLBACK");
    }
  }

  @Test
  void aParseTheServerRefusedLeavesItsNameFreeForTheNextParse() throws Exception {
    try (RawClient raw = analyst()) {
      String refused =
          pipeline(raw, new Parse("s8", FULL_NAME + " WHERE id <> 'x'", List.of()), new Sync());
      assertThat(refused).contains("22P02");
      String ran =
          pipeline(
              raw,
              new Parse("s8", SSN_QUERY + " WHERE id <= 3", List.of()),
              bind("", "s8"),
              new Describe('P', ""),
              new Execute("", 0),
              new Sync());
      assertThat(ran).doesNotContain(SSN);
    }
  }

  @Test
  void aBindTheServerRefusedOnACursorsNameLeavesNoPortal() throws Exception {
    try (RawClient raw = analyst()) {
      query(raw, "DECLARE h CURSOR WITH HOLD FOR " + SSN_QUERY + " WHERE id <= 3");
      String refused =
          pipeline(raw, new Parse("", FULL_NAME, List.of()), bind("h", ""), new Sync());
      assertThat(refused).contains("42P03");
      String ran = pipeline(raw, new Describe('P', "h"), new Execute("h", 3), new Sync());
      assertThat(ran).doesNotContain(SSN);
      query(raw, "CLOSE ALL");
    }
  }

  @Test
  void aPortalClosedOrTakenOverUnderACursorsNameEndsTheCursor() throws Exception {
    try (RawClient raw = analyst()) {
      query(raw, "BEGIN");
      query(raw, "DECLARE h CURSOR FOR " + FULL_NAME + " WHERE id <= 3");
      pipeline(raw, new Close('P', "h"), new Sync());
      pipeline(
          raw, new Parse("", SSN_QUERY + " WHERE id <= 3", List.of()), bind("h", ""), new Sync());
      String fetched = query(raw, "FETCH 3 FROM h");
      assertThat(fetched).doesNotContain(SSN);
      query(raw, "ROLLBACK");
    }
  }

  @Test
  void aRolledBackWithHoldCursorIsForgotten() throws Exception {
    try (RawClient raw = analyst()) {
      query(raw, "BEGIN");
      query(raw, "DECLARE h CURSOR WITH HOLD FOR " + FULL_NAME + " WHERE id <= 3");
      query(raw, "ROLLBACK");
      pipeline(
          raw, new Parse("", SSN_QUERY + " WHERE id <= 3", List.of()), bind("h", ""), new Sync());
      String fetched = query(raw, "FETCH 3 FROM h");
      assertThat(fetched).doesNotContain(SSN);
    }
  }

  private static RawClient login(ReferencePrincipal who) throws Exception {
    return proxy.raw(who);
  }

  private static String run(RawClient raw, String portal, String statement) throws Exception {
    return pipeline(
        raw,
        bind(portal, statement),
        new Describe('P', portal),
        new Execute(portal, 0),
        new Sync());
  }

  @ParameterizedTest
  @ValueSource(strings = {"DEALLOCATE p1", "DEALLOCATE ALL", "DEALLOCATE PREPARE P1"})
  void aSqlDeallocateOfAProtocolStatementFreesTheNameHereToo(String deallocate) throws Exception {
    try (RawClient raw = analyst()) {
      pipeline(raw, new Parse("p1", FULL_NAME + " WHERE id <= 3", List.of()), new Sync());
      assertThat(query(raw, deallocate)).doesNotContain("ERROR");
      // A SQL PREPARE of the freed name: a protocol Bind of it is unknown to the gateway.
      query(raw, "PREPARE p1 AS " + SSN_QUERY + " WHERE id <= 3");
      String bound = run(raw, "", "p1");
      assertThat(bound).doesNotContain(SSN).contains("26000");
      query(raw, "DEALLOCATE p1");
      // A protocol Parse of the freed name is judged as itself: masked.
      String parsed =
          pipeline(raw, new Parse("p1", SSN_QUERY + " WHERE id <= 3", List.of()), new Sync());
      assertThat(parsed).doesNotContain("ERROR");
      String ran = run(raw, "", "p1");
      assertThat(ran).doesNotContain(SSN).contains("SELECT 3");
    }
  }

  @Test
  void aParseOfANameTheSessionHoldsIsRefusedAndTheFirstStatementStays() throws Exception {
    try (RawClient raw = analyst()) {
      pipeline(raw, new Parse("p2", FULL_NAME + " WHERE id <= 3", List.of()), new Sync());
      String again =
          pipeline(raw, new Parse("p2", SSN_QUERY + " WHERE id <= 3", List.of()), new Sync());
      assertThat(again).contains("42P05");
      String ran = run(raw, "", "p2");
      assertThat(ran).doesNotContain(SSN).contains("SELECT 3");
    }
  }

  /** Ways a named portal ends upstream; a cursor of its name is then declared on the SSN query. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "the Sync that ends its implicit transaction",
        "CLOSE h",
        "CLOSE ALL",
        "ROLLBACK TO SAVEPOINT a",
        "COMMIT AND CHAIN"
      })
  void aPortalEndsWithItsTransactionOrASqlCloseAndIsNotJudgedAsTheCursorAfterIt(String end)
      throws Exception {
    try (RawClient raw = analyst()) {
      boolean implicit = end.startsWith("the Sync");
      if (!implicit) {
        query(raw, "BEGIN");
        query(raw, "SAVEPOINT a");
      }
      pipeline(
          raw, new Parse("", FULL_NAME + " WHERE id <= 3", List.of()), bind("h", ""), new Sync());
      if (implicit) {
        query(raw, "BEGIN");
      } else {
        assertThat(query(raw, end)).doesNotContain("ERROR");
      }
      assertThat(query(raw, "DECLARE h CURSOR FOR " + SSN_QUERY + " WHERE id <= 3"))
          .doesNotContain("ERROR");
      String ran = pipeline(raw, new Describe('P', "h"), new Execute("h", 0), new Sync());
      assertThat(ran).doesNotContain(SSN);
      query(raw, "ROLLBACK");
    }
  }

  @Test
  void protocolNamesPast63BytesAreRefusedBeforeAnythingRuns() throws Exception {
    String x = "s".repeat(63) + "x";
    String y = "s".repeat(63) + "y";
    try (RawClient raw = analyst()) {
      String parsed =
          pipeline(raw, new Parse(x, FULL_NAME + " WHERE id <= 3", List.of()), new Sync());
      assertThat(parsed).contains("42622");
      assertThat(pipeline(raw, new Close('S', y), new Sync())).contains("42622");
      assertThat(pipeline(raw, new Parse(y, SSN_QUERY, List.of()), new Sync())).contains("42622");
      assertThat(run(raw, "", x)).contains("42622").doesNotContain(SSN);
      // A portal name too, and a name of 63 bytes (what PostgreSQL keeps) still works.
      pipeline(raw, new Parse("", FULL_NAME + " WHERE id <= 3", List.of()), new Sync());
      assertThat(run(raw, "p".repeat(64), "")).contains("42622");
      String keep = "é".repeat(31) + "k"; // 63 bytes
      assertThat(
              pipeline(raw, new Parse(keep, SSN_QUERY + " WHERE id <= 3", List.of()), new Sync()))
          .doesNotContain("ERROR");
      assertThat(run(raw, "", keep)).doesNotContain(SSN).contains("SELECT 3");
    }
  }

  /**
   * Red-team round 31 (R31-2): PostgreSQL skips a Close that follows an error in the same cycle and
   * keeps the statement; the gateway forgot it, so the name could be neither bound (unknown to the
   * gateway) nor parsed again (42P05 from PostgreSQL). Now both sides keep it, with its meaning.
   */
  @ParameterizedTest
  @ValueSource(strings = {"a division by zero", "a Bind with too few parameters"})
  void aCloseSkippedAfterAnErrorLeavesTheStatementUsable(String error) throws Exception {
    try (RawClient raw = analyst()) {
      pipeline(raw, new Parse("kept", FULL_NAME + " WHERE id <= 2", List.of()), new Sync());
      String failed =
          error.contains("zero")
              ? pipeline(
                  raw,
                  new Parse("z", "SELECT 1/0", List.of()),
                  bind("", "z"),
                  new Execute("", 0),
                  new Close('S', "kept"),
                  new Sync())
              : pipeline(
                  raw,
                  new Parse("z", "SELECT $1::int", List.of()),
                  bind("", "z"),
                  new Execute("", 0),
                  new Close('S', "kept"),
                  new Sync());
      assertThat(failed).contains(error.contains("zero") ? "22012" : "08P01");
      // Still there, with the same meaning: it runs, and its name is taken upstream and here.
      assertThat(run(raw, "", "kept")).contains("SELECT 2").doesNotContain("ERROR");
      assertThat(pipeline(raw, new Parse("kept", SSN_QUERY, List.of()), new Sync()))
          .contains("42P05");
      assertThat(run(raw, "", "kept")).contains("SELECT 2").doesNotContain(SSN);
      // A Close that runs frees it on both sides.
      assertThat(pipeline(raw, new Close('S', "kept"), new Sync())).doesNotContain("ERROR");
      assertThat(run(raw, "", "kept")).contains("26000");
      assertThat(
              pipeline(raw, new Parse("kept", FULL_NAME + " WHERE id <= 1", List.of()), new Sync()))
          .doesNotContain("ERROR");
      assertThat(run(raw, "", "kept")).contains("SELECT 1").doesNotContain(SSN);
    }
  }

  /**
   * Red-team round 32 (R32-1): a Close skipped after an error, then a Close of the same name in the
   * next cycle of the same write, which PostgreSQL runs: undoing the first Close kept a name
   * PostgreSQL had dropped. A Close undone only while nothing came after it.
   */
  @Test
  void aSkippedCloseFollowedByAnotherCloseOfTheNameLeavesItGone() throws Exception {
    try (RawClient raw = analyst()) {
      pipeline(raw, new Parse("gone", FULL_NAME + " WHERE id <= 2", List.of()), new Sync());
      raw.send(
          new Parse("z", "SELECT 1/0", List.of()),
          bind("", "z"),
          new Execute("", 0),
          new Close('S', "gone"),
          new Sync(),
          new Close('S', "gone"),
          new Sync());
      assertThat(new String(raw.rawUntil('Z'), StandardCharsets.UTF_8)).contains("22012");
      assertThat(new String(raw.rawUntil('Z'), StandardCharsets.UTF_8)).doesNotContain("ERROR");
      // Gone on both sides: the gateway knows no `gone`, and PostgreSQL takes a new one.
      assertThat(run(raw, "", "gone")).contains("26000").contains("does not exist");
      assertThat(
              pipeline(raw, new Parse("gone", SSN_QUERY + " WHERE id <= 1", List.of()), new Sync()))
          .doesNotContain("ERROR");
      assertThat(run(raw, "", "gone")).contains("SELECT 1").doesNotContain(SSN);
    }
  }

  /**
   * Red-team round 30 (T30-8): PostgreSQL refuses DISCARD ALL inside a transaction block and in a
   * message of several statements (25001) before it discards anything; the gateway forgot the
   * session's prepared statements and WITH HOLD cursors anyway, so their names were unusable.
   */
  @ParameterizedTest
  @ValueSource(strings = {"BEGIN|DISCARD ALL|ROLLBACK", "SELECT 1; DISCARD ALL"})
  void aDiscardAllThatPostgresqlRefusesForgetsNothing(String queries) throws Exception {
    try (RawClient raw = analyst()) {
      pipeline(raw, new Parse("s1", FULL_NAME + " WHERE id <= 2", List.of()), new Sync());
      query(raw, "PREPARE q1 AS " + FULL_NAME + " WHERE id <= 1");
      query(raw, "BEGIN");
      query(raw, "DECLARE h CURSOR WITH HOLD FOR " + FULL_NAME + " WHERE id <= 3");
      query(raw, "COMMIT");
      String refused = "";
      for (String q : queries.split("\\|")) {
        refused += query(raw, q);
      }
      assertThat(refused).contains("25001");
      // All three names still mean what they meant, here and upstream.
      assertThat(run(raw, "", "s1")).contains("SELECT 2").doesNotContain("ERROR");
      assertThat(query(raw, "EXECUTE q1")).contains("SELECT 1").doesNotContain("ERROR");
      if (queries.contains("ROLLBACK")) {
        // (a rollback forgets every cursor, the held one too: docs/wire-proxy.md, session names)
        assertThat(query(raw, "FETCH 3 FROM h")).contains("42501").doesNotContain("FETCH 3");
      } else {
        assertThat(query(raw, "FETCH 3 FROM h")).contains("FETCH 3").doesNotContain("ERROR");
      }
      // A DISCARD ALL that runs drops them on both sides.
      assertThat(query(raw, "DISCARD ALL")).doesNotContain("ERROR");
      assertThat(run(raw, "", "s1")).contains("26000");
      assertThat(pipeline(raw, new Parse("s1", "SELECT 1", List.of()), new Sync()))
          .doesNotContain("ERROR");
    }
  }

  @Test
  void aWriteThatNeedsApprovalUnderAFreedProtocolNameStillAsksForIt() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      pipeline(raw, new Parse("w", "SELECT 1", List.of()), new Sync());
      query(raw, "DEALLOCATE w");
      pipeline(raw, new Parse("w", "UPDATE app.orders SET total = 0", List.of()), new Sync());
      // (outside a block: approved, it would run as another role, which cannot happen in one, and
      // then nobody is asked at all; red-team round 33)
      raw.send(bind("", "w"), new Execute("", 0), new Sync());
      ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
      proxy
          .reference
          .approvals()
          .deny(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA), "no");
      String answered = new String(raw.rawUntil('Z'), StandardCharsets.UTF_8);
      assertThat(answered).contains("42501").doesNotContain("UPDATE ");
    }
  }

  /**
   * Ways a transaction ends upstream that drop a cursor the gateway used to keep: the gateway then
   * refuses a FETCH of it itself (42501) instead of judging it by a query PostgreSQL no longer
   * holds under that name (it would answer 34000).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a WITH HOLD cursor declared early in a pipeline that failed later",
        "a WITH HOLD cursor in a block that failed, ended by COMMIT",
        "a cursor without HOLD, ended by COMMIT AND CHAIN"
      })
  void aCursorTheTransactionsEndDroppedIsForgotten(String how) throws Exception {
    String hold = "DECLARE h CURSOR WITH HOLD FOR " + FULL_NAME + " WHERE id <= 3";
    try (RawClient raw = analyst()) {
      if (how.contains("pipeline")) {
        String failed =
            pipeline(
                raw,
                new Parse("", hold, List.of()),
                bind("", ""),
                new Execute("", 0),
                new Parse("", "SELECT 1/0", List.of()),
                bind("", ""),
                new Execute("", 0),
                new Sync());
        assertThat(failed).contains("22012");
      } else if (how.contains("failed")) {
        query(raw, "BEGIN");
        query(raw, hold);
        assertThat(query(raw, "SELECT 1/0")).contains("22012");
        query(raw, "COMMIT");
      } else {
        query(raw, "BEGIN");
        query(raw, "DECLARE h CURSOR FOR " + FULL_NAME + " WHERE id <= 3");
        query(raw, "COMMIT AND CHAIN");
      }
      String fetched = query(raw, "FETCH 3 FROM h");
      assertThat(fetched).contains("42501").doesNotContain("34000");
      query(raw, "ROLLBACK");
    }
  }

  /** Sends {@code m} in one write and reads the answers up to {@code syncs} ReadyForQuery. */
  private static String oneWrite(
      RawClient raw, int syncs, dev.gatehouse.wire.protocol.frontend.FrontendMessage... m)
      throws Exception {
    raw.send(m);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < syncs; i++) {
      out.append(new String(raw.rawUntil('Z'), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /**
   * Red-team round 16: a Query that changes names, sent in the same write as extended messages that
   * use them. The extended messages wait for the Query's answer instead of using the names as they
   * were before it.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "DEALLOCATE p1; PREPARE p1 AS",
        "CLOSE h; DECLARE h CURSOR FOR",
        "COMMIT; BEGIN; DECLARE h CURSOR FOR",
        "ROLLBACK TO SAVEPOINT a; DECLARE h CURSOR FOR"
      })
  void extendedMessagesInTheSameWriteAsAQueryUseTheNamesItLeaves(String change) throws Exception {
    try (RawClient raw = analyst()) {
      String ran;
      if (change.startsWith("DEALLOCATE")) {
        pipeline(raw, new Parse("p1", FULL_NAME + " WHERE id <= 3", List.of()), new Sync());
        ran =
            oneWrite(
                raw,
                2,
                new Query(change + " " + SSN_QUERY + " WHERE id <= 3"),
                bind("", "p1"),
                new Describe('P', ""),
                new Execute("", 0),
                new Sync());
      } else {
        query(raw, "BEGIN");
        query(raw, "SAVEPOINT a");
        pipeline(
            raw, new Parse("", FULL_NAME + " WHERE id <= 3", List.of()), bind("h", ""), new Sync());
        ran =
            oneWrite(
                raw,
                2,
                new Query(change + " " + SSN_QUERY + " WHERE id <= 3"),
                new Describe('P', "h"),
                new Execute("h", 0),
                new Sync());
      }
      assertThat(ran).doesNotContain(SSN);
      query(raw, "ROLLBACK");
      query(raw, "DEALLOCATE ALL");
    }
  }

  @Test
  void aParseOfASqlPreparedNameIsRefusedAndABindAfterItsSyncDoesNotRunTheSqlStatement()
      throws Exception {
    try (RawClient raw = analyst()) {
      query(raw, "PREPARE p1 AS " + SSN_QUERY + " WHERE id <= 3");
      String ran =
          oneWrite(
              raw,
              2,
              new Parse("p1", FULL_NAME + " WHERE id <= 3", List.of()),
              new Sync(),
              bind("", "p1"),
              new Describe('P', ""),
              new Execute("", 0),
              new Sync());
      assertThat(ran).contains("42P05").doesNotContain(SSN);
      query(raw, "DEALLOCATE ALL");
    }
  }

  @Test
  void aBindOfAHoldCursorsNameIsRefusedAndAnExecuteAfterItsSyncDoesNotRunTheCursor()
      throws Exception {
    try (RawClient raw = analyst()) {
      query(raw, "BEGIN; DECLARE h CURSOR WITH HOLD FOR " + SSN_QUERY + " WHERE id <= 3; COMMIT");
      String ran =
          oneWrite(
              raw,
              2,
              new Parse("", FULL_NAME + " WHERE id <= 3", List.of()),
              bind("h", ""),
              new Sync(),
              new Describe('P', "h"),
              new Execute("h", 0),
              new Sync());
      assertThat(ran).contains("42P03").doesNotContain(SSN);
      query(raw, "CLOSE ALL");
    }
  }

  @Test
  void aParsePostgreSQLRefusesNeverLendsItsNameToABindAfterItsSync() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      pipeline(raw, new Parse("w", "UPDATE app.orders SET total = 0", List.of()), new Sync());
      // The message fails before its DEALLOCATE runs; the gateway forgets w, PostgreSQL keeps it.
      assertThat(query(raw, "SELECT 1/0; DEALLOCATE w")).contains("22012");
      String ran =
          oneWrite(
              raw,
              2,
              new Parse("w", "SELECT 1", List.of()),
              new Sync(),
              bind("", "w"),
              new Execute("", 0),
              new Sync());
      assertThat(ran).contains("42P05").doesNotContain("UPDATE ");
    }
  }

  /**
   * Red-team round 17: PostgreSQL skips a Parse of the unnamed statement that follows an error in
   * its cycle, so the earlier unnamed statement stays; a Bind of the next cycle, in the same write,
   * must not be judged as the skipped Parse.
   */
  @Test
  void aSkippedParseOfTheUnnamedStatementNeverLendsItToTheNextCycle() throws Exception {
    try (RawClient raw = analyst()) {
      pipeline(
          raw,
          new Parse("e", "SELECT 1/(id-id) FROM app.customers WHERE id = 1", List.of()),
          new Sync());
      pipeline(raw, new Parse("", SSN_QUERY + " WHERE id <= 3", List.of()), new Sync());
      String ran =
          oneWrite(
              raw,
              2,
              bind("", "e"),
              new Execute("", 0),
              new Parse("", FULL_NAME + " WHERE id <= 3", List.of()),
              new Sync(),
              bind("", ""),
              new Describe('P', ""),
              new Execute("", 0),
              new Sync());
      assertThat(ran).contains("22012").doesNotContain(SSN);
    }
  }

  /**
   * Red-team round 18: a simple Query drops the unnamed statement upstream; a Bind of it after the
   * Query is refused at once (26000) instead of waiting for an approval of a statement PostgreSQL
   * no longer holds.
   */
  @Test
  void aSimpleQueryEndsTheUnnamedStatement() throws Exception {
    try (RawClient raw = login(ReferencePrincipal.ETL_NIGHTLY)) {
      pipeline(raw, new Parse("", "UPDATE app.orders SET total = 0", List.of()), new Sync());
      query(raw, "SELECT 1");
      String ran = pipeline(raw, bind("", ""), new Execute("", 0), new Sync());
      assertThat(ran).contains("26000").doesNotContain("waiting for approval");
      assertThat(proxy.reference.approvals().pending()).isEmpty();
    }
  }
}
