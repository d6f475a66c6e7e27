package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.CopyInResponse;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.CopyData;
import dev.gatehouse.wire.protocol.frontend.CopyDone;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Flush;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * COPY FROM STDIN as PostgreSQL runs it (red-team round 34): in copy mode the server reads only
 * CopyData, CopyDone and CopyFail, ignores Sync and Flush, and ends the connection on anything else
 * (08P01, checked against PostgreSQL 16 directly). libpq sends a Sync after the Execute of a COPY
 * and another after CopyDone; the first is ignored, and only the second is answered. The gateway
 * once waited for an answer to both (the session hung), and queued a Query sent before CopyDone
 * behind the copy (the session hung, the table stayed locked).
 */
class CopyModeIT {

  private static final String COPY = "COPY app.orders (id, customer_id, total) FROM STDIN";

  static String db;
  static ProxyFixture proxy;

  /**
   * The reference policy (its analyser splits a Query into its statements, as the gateway does).
   */
  static ProxyFixture reference;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.get().createShopDatabase("wire_copy_mode");
    proxy = new ProxyFixture();
    try (Connection admin = TestPostgres.get().connectAsAdmin(db)) {
      admin
          .createStatement()
          .execute(
              "CREATE TABLE public.copy_target (id int, customer_id int, total numeric);"
                  + " GRANT USAGE ON SCHEMA public TO "
                  + TestPostgres.get().writer().name()
                  + "; GRANT SELECT, INSERT ON public.copy_target TO "
                  + TestPostgres.get().writer().name());
    }
    reference = ProxyFixture.reference(db, UNBOUNDED_COPY_RULE);
  }

  /** etl-nightly may copy into public.copy_target without a row bound (as the bench's rule). */
  private static final String UNBOUNDED_COPY_RULE =
      """
        - id: etl-nightly-copy-target
          description: copies with no row bound, for these tests
          match:
            groups: [etl]
          grants:
            - database: shop
              classes: [read, write, transaction, session]
              read: ["public.*", "pg_catalog.*"]
              write: ["public.copy_target"]
              upstreamRole: gatehouse_writer
      """;

  private static final String UNBOUNDED = "COPY public.copy_target FROM STDIN";

  @AfterAll
  static void stop() {
    proxy.close();
    reference.close();
  }

  /**
   * etl-nightly under the reference policy: its writes to app tables are bounded (100 rows), COPY
   * included; to public.copy_target they are not.
   */
  private static RawClient referenceEtl() throws Exception {
    RawClient raw = reference.raw(ReferencePrincipal.ETL_NIGHTLY);
    raw.socket.setSoTimeout(20_000);
    return raw;
  }

  private static RawClient etl() throws Exception {
    RawClient raw =
        RawClient.login(
            proxy.server.port(),
            ReferencePrincipal.ETL_NIGHTLY.subject(),
            db,
            ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY));
    raw.socket.setSoTimeout(20_000);
    return raw;
  }

  private static CopyData row(int id) {
    return new CopyData((id + "\t1\t1.00\n").getBytes(StandardCharsets.UTF_8));
  }

  private static long orders(int id) throws Exception {
    try (Connection c = TestPostgres.get().connectAsAdmin(db);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT count(*) FROM app.orders WHERE id = " + id)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The session answers a plain Query right after: nothing is owed any more. */
  private static void stillServes(RawClient raw) throws Exception {
    raw.send(new Query("SELECT 'alive'"));
    List<BackendMessage> answers = raw.until('Z');
    assertThat(answers).anySatisfy(m -> assertThat(m).isInstanceOf(DataRow.class));
    assertThat(answers.getLast()).isEqualTo(new ReadyForQuery('I'));
  }

  @Test
  void libpqExtendedCopyWithASyncBeforeAndAfterTheDataIsAnsweredOnce() throws Exception {
    try (RawClient raw = etl()) {
      raw.send(new Parse("", COPY, List.of()), new Bind("", "", List.of(), List.of(), List.of()));
      raw.send(new Execute("", 0), new Sync());
      assertThat(raw.until('G').getLast()).isInstanceOf(CopyInResponse.class);
      raw.send(row(910_001), new CopyDone(), new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).contains(new CommandComplete("COPY 1"));
      stillServes(raw);
    }
    assertThat(orders(910_001)).isEqualTo(1);
  }

  @Test
  void aPipelineSentBeforeTheCopyBeganEndsAsInPostgres() throws Exception {
    try (RawClient raw = etl()) {
      raw.send(
          new Parse("", COPY, List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync(),
          row(910_002),
          new CopyDone(),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).contains(new CommandComplete("COPY 1"));
      stillServes(raw);
    }
    assertThat(orders(910_002)).isEqualTo(1);
  }

  @Test
  void syncAndFlushInASimpleCopyAreIgnored() throws Exception {
    try (RawClient raw = etl()) {
      raw.send(new Query(COPY), new Sync(), new Flush(), row(910_003), new CopyDone());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).contains(new CommandComplete("COPY 1"));
      stillServes(raw);
    }
    assertThat(orders(910_003)).isEqualTo(1);
  }

  @Test
  void twoCopiesInOneQueryWithBothEndsSentAtOnceLeaveTheSessionInStep() throws Exception {
    // Red-team round 35 (R35-1): the first CopyInResponse used up the record of both CopyDones,
    // and the second was taken for copy mode still to come: the next Query ended the connection,
    // or answers of the Sync and the Query came out of order.
    try (RawClient raw = referenceEtl()) {
      raw.send(
          new Query(UNBOUNDED + "; " + UNBOUNDED),
          new CopyDone(),
          new CopyDone(),
          new Sync(),
          new Query("SELECT 'alive'"));
      List<BackendMessage> query = raw.until('Z');
      assertThat(kinds(query)).containsExactly("G", "COPY 0", "G", "COPY 0", "Z");
      assertThat(raw.until('Z')).containsExactly(new ReadyForQuery('I')); // the Sync's
      List<BackendMessage> alive = raw.until('Z');
      assertThat(alive).anySatisfy(m -> assertThat(m).isInstanceOf(DataRow.class));
      assertThat(alive).noneSatisfy(m -> assertThat(m).isInstanceOf(ErrorResponse.class));
    }
  }

  @Test
  void twoCopiesInOneQueryEachEndedAfterItsCopyInResponse() throws Exception {
    try (RawClient raw = referenceEtl()) {
      raw.send(new Query(UNBOUNDED + "; " + UNBOUNDED));
      assertThat(raw.next()).isInstanceOf(CopyInResponse.class);
      raw.send(row(910_005), new CopyDone());
      assertThat(kinds(raw.until('G'))).containsExactly("COPY 1", "G");
      raw.send(new Sync(), row(910_006), new CopyDone());
      assertThat(kinds(raw.until('Z'))).containsExactly("COPY 1", "Z");
    }
  }

  @Test
  void copiesAmongOtherStatementsUnderARowBoundWaitForApprovalAndThenRunInPostgresOrder()
      throws Exception {
    // Red-team round 36 (R36-3): under a row bound the gateway held each statement's answers
    // until the count, but relayed every CopyInResponse at once: psql saw G G C C and failed
    // ("trying to exit copy mode"). Such a message cannot be counted in order: it needs an
    // approval, and approved it runs as sent, answered in PostgreSQL's order.
    try (RawClient raw = referenceEtl()) {
      raw.send(new Query("SELECT 33; " + COPY + "; " + COPY));
      BackendMessage first = raw.next();
      assertThat(first).asString().contains("waiting for approval").contains("cannot be counted");
      var approvals = reference.reference.approvals();
      var request = approvals.pending().getFirst();
      approvals.approve(request.id(), ApprovalIT.principal(reference, ReferencePrincipal.DBA));
      List<BackendMessage> answers = new java.util.ArrayList<>(raw.until('G'));
      raw.send(new CopyDone());
      answers.addAll(raw.until('G'));
      raw.send(new CopyDone());
      answers.addAll(raw.until('Z'));
      assertThat(kinds(answers))
          .containsSubsequence("33", "SELECT 1", "G", "COPY 0", "G", "COPY 0", "Z");
    }
  }

  /** Command tags, data cells, and the letters of CopyInResponse and ReadyForQuery, in order. */
  private static List<String> kinds(List<BackendMessage> messages) {
    List<String> kinds = new java.util.ArrayList<>();
    for (BackendMessage m : messages) {
      switch (m) {
        case CommandComplete c -> kinds.add(c.tag());
        case CopyInResponse g -> kinds.add("G");
        case ReadyForQuery z -> kinds.add("Z");
        case DataRow d -> kinds.add(new String(d.cells().getFirst(), StandardCharsets.UTF_8));
        default -> {}
      }
    }
    return kinds;
  }

  @Test
  void strayCopyDonesBeforeACopyAreIgnoredAsPostgresIgnoresThem() throws Exception {
    // PostgreSQL ignores CopyDone and CopyFail outside copy mode; the gateway keeps a bounded
    // record of them (64) and none of them ends the COPY that follows.
    try (RawClient raw = etl()) {
      dev.gatehouse.wire.protocol.frontend.FrontendMessage[] stray =
          new dev.gatehouse.wire.protocol.frontend.FrontendMessage[1000];
      java.util.Arrays.fill(stray, new CopyDone());
      raw.send(stray);
      raw.send(new Parse("", COPY, List.of()), new Bind("", "", List.of(), List.of(), List.of()));
      raw.send(new Execute("", 0), new Sync());
      assertThat(raw.until('G').getLast()).isInstanceOf(CopyInResponse.class);
      raw.send(row(910_007), new CopyDone(), new Sync());
      assertThat(raw.until('Z')).contains(new CommandComplete("COPY 1"));
      stillServes(raw);
    }
    assertThat(orders(910_007)).isEqualTo(1);
  }

  @Test
  void aQueryBeforeCopyDoneEndsTheConnectionAndRunsNothing() throws Exception {
    try (RawClient raw = etl()) {
      raw.send(
          new Query(COPY),
          new Query("SELECT 'x'"),
          row(910_004),
          new CopyDone(),
          new Query("SELECT 'alive'"));
      assertThat(raw.next()).isInstanceOf(CopyInResponse.class);
      BackendMessage error = raw.next();
      assertThat(error).isInstanceOf(ErrorResponse.class);
      assertThat(((ErrorResponse) error).sqlState()).isEqualTo("08P01");
      assertThat(((ErrorResponse) error).message())
          .contains("unexpected message type 0x51 during COPY from stdin");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(orders(910_004)).isZero();
  }

  @Test
  void aParseBeforeCopyDoneEndsTheConnectionToo() throws Exception {
    try (RawClient raw = etl()) {
      raw.send(new Query(COPY), new Parse("", "SELECT 1", List.of()), new CopyDone());
      // The Parse may reach the server before its CopyInResponse reaches the gateway: the error is
      // then the server's own, and its FATAL follows; either way the connection ends.
      List<BackendMessage> answers = new java.util.ArrayList<>();
      try {
        while (true) {
          answers.add(raw.next());
        }
      } catch (java.io.EOFException | java.net.SocketException closed) {
        // the end of the connection
      }
      assertThat(answers.getFirst()).isInstanceOf(CopyInResponse.class);
      assertThat(answers)
          .anySatisfy(
              m -> {
                assertThat(m).isInstanceOf(ErrorResponse.class);
                assertThat(((ErrorResponse) m).sqlState()).isEqualTo("08P01");
                assertThat(((ErrorResponse) m).message()).contains("unexpected message type 0x50");
              });
      assertThat(answers).noneSatisfy(m -> assertThat(m).isInstanceOf(ReadyForQuery.class));
    }
  }
}
