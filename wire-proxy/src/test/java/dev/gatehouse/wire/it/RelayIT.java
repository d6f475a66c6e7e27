package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Relaying unchanged results: the client gets exactly PostgreSQL's bytes, and answers joined into
 * fewer writes and flushed once per read still reach the client whole, ReadyForQuery included.
 */
class RelayIT {

  static final String UNMASKED =
      "SELECT o.id, o.customer_id, o.total, o.note, g.i, md5(g.i::text) AS h, NULL::text AS n"
          + " FROM app.orders o CROSS JOIN generate_series(1, 300) g(i) ORDER BY o.id, g.i";

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static RawClient viaProxy() throws Exception {
    return RawClient.login(
        proxy.server.port(),
        "analyst",
        TestPostgres.SHOP,
        ProxyFixture.token(ReferencePrincipal.ANALYST));
  }

  /**
   * Red-team R8: the server rejects a Parse before the rest of the client's cycle arrives (the
   * client flushed and waited). The server discards everything up to the Sync, and so must the
   * gateway: the Sync is answered, and the next statement runs.
   */
  @Test
  void anErrorBeforeTheClientsSyncDoesNotWedgeTheSession() throws Exception {
    try (RawClient c = viaProxy()) {
      c.socket.setSoTimeout(15_000);
      c.send(
          new dev.gatehouse.wire.protocol.frontend.Parse("", "SELECT nosuchcol", List.of()),
          new dev.gatehouse.wire.protocol.frontend.Describe('S', ""),
          new dev.gatehouse.wire.protocol.frontend.Flush());
      assertThat(c.until('E').getLast().toString()).contains("42703");
      c.send(
          new dev.gatehouse.wire.protocol.frontend.Bind("", "", List.of(), List.of(), List.of()),
          new dev.gatehouse.wire.protocol.frontend.Execute("", 0),
          new dev.gatehouse.wire.protocol.frontend.Sync());
      assertThat(c.until('Z')).hasSize(1);
      c.send(new dev.gatehouse.wire.protocol.frontend.Query("SELECT 41 + 1"));
      assertThat(c.until('Z').toString()).contains("SELECT 1");
    }
  }

  @Test
  void unmaskedResultIsByteIdenticalToPostgres() throws Exception {
    TestPostgres pg = TestPostgres.get();
    byte[] direct;
    try (RawClient c = new RawClient(pg.port())) {
      c.send(
          new StartupMessage(
              FrontendMessage.PROTOCOL_3_0,
              Map.of("user", pg.adminUser(), "database", TestPostgres.SHOP)));
      c.until('Z');
      c.send(new Query(UNMASKED));
      direct = c.rawUntil('Z');
    }
    byte[] relayed;
    try (RawClient c = viaProxy()) {
      c.send(new Query(UNMASKED));
      relayed = c.rawUntil('Z');
    }
    assertThat(direct.length).isGreaterThan(10_000);
    assertThat(relayed).isEqualTo(direct);
  }

  @Test
  void pipelinedQueriesEachGetAllRowsAndTheirReadyForQuery() throws Exception {
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int rows = i % 3 == 0 ? 5000 : i % 3;
      queries.add(new Query("SELECT i FROM generate_series(1, " + rows + ") i"));
    }
    try (RawClient c = viaProxy()) {
      // All in one write: the proxy holds each until the one before it was answered.
      c.send(queries.toArray(new FrontendMessage[0]));
      for (int i = 0; i < queries.size(); i++) {
        int rows = i % 3 == 0 ? 5000 : i % 3;
        List<BackendMessage> answer = c.until('Z');
        assertThat(answer.stream().filter(DataRow.class::isInstance).count())
            .as("query %d", i)
            .isEqualTo(rows);
        assertThat(answer.get(answer.size() - 2)).isEqualTo(new CommandComplete("SELECT " + rows));
        assertThat(answer.getLast()).isEqualTo(new ReadyForQuery('I'));
      }
    }
  }

  @Test
  void pipelinedExtendedCyclesEachEndWithReadyForQuery() throws Exception {
    List<FrontendMessage> messages = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      messages.add(new Parse("", "SELECT i FROM generate_series(1, " + i * 100 + ") i", List.of()));
      messages.add(new Bind("", "", List.of(), List.of(), List.of()));
      messages.add(new Describe('P', ""));
      messages.add(new Execute("", 0));
      messages.add(new Sync());
    }
    try (RawClient c = viaProxy()) {
      c.send(messages.toArray(new FrontendMessage[0]));
      for (int i = 1; i <= 20; i++) {
        List<BackendMessage> answer = c.until('Z');
        assertThat(answer.stream().filter(DataRow.class::isInstance).count())
            .as("cycle %d", i)
            .isEqualTo(i * 100L);
        assertThat(answer.get(answer.size() - 2))
            .isEqualTo(new CommandComplete("SELECT " + i * 100));
        assertThat(answer.getLast()).isEqualTo(new ReadyForQuery('I'));
      }
    }
  }
}
