package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows are masked by their columns whether or not the client asks for their description (red-team
 * round 45): a client may Parse, Bind and Execute without any Describe, and PostgreSQL then sends
 * DataRows with no RowDescription. The gateway describes such a portal itself, so the rows are
 * exactly those a client that described it gets: masked columns masked (not NULL), a function's
 * masked value masked, the detectors' findings masked.
 */
class UndescribedResultIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.get().createShopDatabase("wire_undescribed"), "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** Text and binary results of masked columns, an opaque function and detector findings. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "SELECT app.customer_email(g) FROM generate_series(1, 3) g",
        "SELECT app.customer_email(1)",
        "SELECT card_number, email, full_name FROM app.customers WHERE id <= 3 ORDER BY id",
        "SELECT ssn, phone FROM app.customers WHERE id = 2",
        "SELECT 'alice' || '@example.com' AS e, '4111 1111 1111 1111' AS k",
      })
  void rowsAreTheSameWithOrWithoutADescribe(String sql) throws Exception {
    for (short format : new short[] {0, 1}) {
      List<Short> formats = List.of(format);
      try (RawClient raw = proxy.raw(ReferencePrincipal.ANALYST)) {
        List<byte[]> described =
            rows(
                raw,
                new Parse("", sql, List.of()),
                new Bind("", "", List.of(), List.of(), formats),
                new Describe('P', ""),
                new Execute("", 0),
                new Sync());
        List<byte[]> undescribed =
            rows(
                raw,
                new Parse("", sql, List.of()),
                new Bind("", "", List.of(), List.of(), formats),
                new Execute("", 0),
                new Sync());
        assertThat(described).isNotEmpty();
        assertThat(undescribed).hasSameSizeAs(described);
        for (int i = 0; i < described.size(); i++) {
          assertThat(undescribed.get(i))
              .as("row %d, format %d", i, format)
              .isEqualTo(described.get(i));
        }
        assertThat(Secrets.findIn(text(undescribed))).isNull();
      }
    }
  }

  @Test
  void aNamedStatementRunAPortionAtATimeIsDescribedOnceAndMasked() throws Exception {
    try (RawClient raw = proxy.raw(ReferencePrincipal.ANALYST)) {
      String sql = "SELECT app.customer_email(g) FROM generate_series(1, 4) g";
      raw.send(new Parse("s1", sql, List.of()), new Sync());
      raw.until('Z');
      List<byte[]> first =
          rows(
              raw,
              new Bind("", "s1", List.of(), List.of(), List.of()),
              new Execute("", 1),
              new Execute("", 2),
              new Execute("", 0),
              new Sync());
      assertThat(first).hasSize(4);
      assertThat(Secrets.findIn(text(first))).isNull();
      assertThat(text(first)).contains("****");
      // Bound again (pgjdbc's pattern once it has the description): no Describe either way.
      List<byte[]> again =
          rows(
              raw,
              new Bind("p2", "s1", List.of(), List.of(), List.of()),
              new Execute("p2", 0),
              new Sync());
      assertThat(again).hasSize(4);
      assertThat(Secrets.findIn(text(again))).isNull();
    }
  }

  @Test
  void aParameterisedStatementIsMaskedWithoutADescribe() throws Exception {
    try (RawClient raw = proxy.raw(ReferencePrincipal.ANALYST)) {
      List<byte[]> rows =
          rows(
              raw,
              new Parse("", "SELECT app.customer_email($1::bigint)", List.of()),
              new Bind("", "", List.of(), List.of("2".getBytes(StandardCharsets.UTF_8)), List.of()),
              new Execute("", 0),
              new Sync());
      assertThat(rows).hasSize(1);
      assertThat(Secrets.findIn(text(rows))).isNull();
      assertThat(text(rows)).contains("****");
    }
  }

  /** The DataRows of the answers up to ReadyForQuery, each as its bytes. */
  private static List<byte[]> rows(RawClient raw, FrontendMessage... messages) throws Exception {
    raw.send(messages);
    ByteBuffer all = ByteBuffer.wrap(raw.rawUntil('Z'));
    List<byte[]> rows = new ArrayList<>();
    while (all.hasRemaining()) {
      byte type = all.get();
      int length = all.getInt();
      byte[] body = new byte[length - 4];
      all.get(body);
      assertThat((char) type)
          .as("an error: %s", new String(body, StandardCharsets.UTF_8))
          .isNotEqualTo('E');
      if (type == 'D') {
        rows.add(body);
      }
    }
    return rows;
  }

  private static String text(List<byte[]> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    rows.forEach(out::writeBytes);
    return out.toString(StandardCharsets.UTF_8);
  }
}
