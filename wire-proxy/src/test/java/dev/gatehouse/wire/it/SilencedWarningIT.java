package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Red-team round 49: where the gateway sends a BEGIN of its own in the middle of a pipeline (a
 * bounded write, a refusal after statements ran), the block it finds is the client's whenever the
 * client opened one, whether or not the client lets the server's warnings through. Before, the
 * gateway told the two apart by the warning of its BEGIN (25001) alone: with {@code
 * client_min_messages} at {@code error} it took the client's block for its own and committed it at
 * the Sync (a write the client then rolled back stayed), or rolled it back (the client's savepoint
 * and earlier writes were gone while it believed its block went on). Each case runs with the
 * warnings let through and silenced in two spellings: the outcome must not differ.
 */
class SilencedWarningIT {

  /** Refused under the reference policy (a function no grant names). */
  private static final String REFUSED = "SELECT pg_sleep(0)";

  private static final List<String> SILENCING =
      List.of(
          "SET client_min_messages = notice",
          "SET client_min_messages = error",
          "SET SESSION client_min_messages TO 'ERROR'");

  static String db;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_silenced_warning");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** The client's BEGIN answered before the bounded write: its ROLLBACK undoes both writes. */
  @Test
  void aBoundedWriteInTheClientsBlockIsNotCommittedByTheGateway() throws Exception {
    int id = 10;
    for (String silencing : SILENCING) {
      id++;
      try (RawClient raw = proxy.raw(ReferencePrincipal.ETL_NIGHTLY)) {
        simple(raw, silencing);
        simple(raw, "BEGIN");
        simple(raw, "UPDATE app.orders SET note = 'r49a-earlier' WHERE id = " + id);
        List<BackendMessage> answers = boundedWrite(raw, false, id + 100, "r49a");
        assertThat(answers).as(silencing).noneMatch(ErrorResponse.class::isInstance);
        assertThat(answers.getLast()).as(silencing).isEqualTo(new ReadyForQuery('T'));
        assertThat(simple(raw, "ROLLBACK").getLast()).isEqualTo(new ReadyForQuery('I'));
      }
      assertThat(notes("note LIKE 'r49a-%' OR note = 'r49a'")).as(silencing).isZero();
    }
  }

  /** The client's BEGIN in the same pipeline as the bounded write (as pgjdbc sends it). */
  @Test
  void aBoundedWriteAfterABeginInTheSamePipelineIsTheClients() throws Exception {
    int id = 20;
    for (String silencing : SILENCING) {
      id++;
      try (RawClient raw = proxy.raw(ReferencePrincipal.ETL_NIGHTLY)) {
        simple(raw, silencing);
        List<BackendMessage> answers = boundedWrite(raw, true, id, "r49b");
        assertThat(answers).as(silencing).noneMatch(ErrorResponse.class::isInstance);
        assertThat(answers.getLast()).as(silencing).isEqualTo(new ReadyForQuery('T'));
        assertThat(simple(raw, "ROLLBACK").getLast()).isEqualTo(new ReadyForQuery('I'));
      }
      assertThat(notes("note = 'r49b'")).as(silencing).isZero();
    }
  }

  /**
   * A refusal in the client's block after a statement ran in the same pipeline: the block is
   * aborted (E), not ended by the gateway; ROLLBACK TO the client's savepoint recovers it, and the
   * client's ROLLBACK still undoes its first write.
   */
  @Test
  void aRefusalInTheClientsBlockLeavesTheBlockToTheClient() throws Exception {
    int id = 30;
    for (String silencing : SILENCING) {
      id++;
      try (RawClient raw = proxy.raw(ReferencePrincipal.ETL_NIGHTLY)) {
        simple(raw, silencing);
        simple(raw, "BEGIN");
        simple(raw, "UPDATE app.orders SET note = 'r49c-before-savepoint' WHERE id = " + id);
        simple(raw, "SAVEPOINT s");
        List<FrontendMessage> pipeline = new ArrayList<>();
        pipeline.addAll(extended("SELECT 1"));
        pipeline.addAll(extended(REFUSED));
        pipeline.add(new Sync());
        raw.send(pipeline.toArray(FrontendMessage[]::new));
        List<BackendMessage> answers = raw.until('Z');
        assertThat(answers).as(silencing).anyMatch(ErrorResponse.class::isInstance);
        assertThat(answers.getLast()).as(silencing).isEqualTo(new ReadyForQuery('E'));
        List<BackendMessage> recovered = simple(raw, "ROLLBACK TO SAVEPOINT s");
        assertThat(recovered).as(silencing).noneMatch(ErrorResponse.class::isInstance);
        assertThat(recovered.getLast()).as(silencing).isEqualTo(new ReadyForQuery('T'));
        assertThat(simple(raw, "ROLLBACK").getLast()).isEqualTo(new ReadyForQuery('I'));
      }
      assertThat(notes("note LIKE 'r49c-%'")).as(silencing).isZero();
    }
  }

  /** One bounded UPDATE of one order (within etl-nightly's bound), extended, then a Sync. */
  private static List<BackendMessage> boundedWrite(
      RawClient raw, boolean begin, int id, String note) throws Exception {
    List<FrontendMessage> pipeline = new ArrayList<>();
    if (begin) {
      pipeline.addAll(extended("BEGIN"));
    }
    pipeline.addAll(extended("UPDATE app.orders SET note = '" + note + "' WHERE id = " + id));
    pipeline.add(new Sync());
    raw.send(pipeline.toArray(FrontendMessage[]::new));
    return raw.until('Z');
  }

  private static List<FrontendMessage> extended(String sql) {
    return List.of(
        new Parse("", sql, List.of()),
        new Bind("", "", List.of(), List.of(), List.of()),
        new Execute("", 0));
  }

  private static List<BackendMessage> simple(RawClient raw, String sql) throws Exception {
    raw.send(new Query(sql));
    return raw.until('Z');
  }

  private static long notes(String where) throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
