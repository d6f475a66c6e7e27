package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.NegotiateProtocolVersion;
import dev.gatehouse.wire.protocol.backend.ParameterStatus;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.SslRequest;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded before trust, against the real proxy with a raw socket client: what a client that never
 * authenticates can make the gateway hold, and the startup answers PostgreSQL 16/17 give.
 */
class PreAuthIT {

  private static final int SIXTY_FOUR_MIB = 64 << 20;

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void tenConnectionsAnnouncing64MiBDoNotGrowTheHeap() throws Exception {
    long before = usedHeapAfterGc();
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        RawClient raw = new RawClient(proxy.server.port());
        clients.add(raw);
        // A startup packet announcing 64 MiB, and the first 64 KiB of its body.
        raw.sendRaw(Unpooled.buffer().writeInt(SIXTY_FOUR_MIB).writeInt(196608));
        tryToSend(raw, new byte[64 << 10]);
      }
      for (RawClient raw : clients) {
        ErrorResponse e = (ErrorResponse) raw.next();
        assertThat(e.sqlState()).isEqualTo("08P01");
        assertThat(e.fields().get('S')).isEqualTo("FATAL");
        assertThat(e.message()).isEqualTo("invalid length of startup packet");
        assertThat(raw.closedByServer()).isTrue();
      }
    } finally {
      for (RawClient raw : clients) {
        raw.close();
      }
    }
    long after = usedHeapAfterGc();
    System.out.printf(
        "heap used after GC: before %d KiB, after 10 x 64 MiB announced %d KiB%n",
        before >> 10, after >> 10);
    // Had the bodies been buffered, 10 x 64 MiB; a bound far below one of them.
    assertThat(after - before).isLessThan(16L << 20);
  }

  @Test
  void aPasswordMessageAnnouncing64MiBBeforeAuthenticationIsRefused() throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      raw.send(
          new StartupMessage(
              FrontendMessage.PROTOCOL_3_0, Map.of("user", "analyst", "database", "shop")));
      assertThat(raw.next()).isInstanceOf(Authentication.class);
      raw.sendRaw(Unpooled.buffer().writeByte('p').writeInt(SIXTY_FOUR_MIB));
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("08P01");
      assertThat(e.message()).contains("before authentication exceeds the maximum of 65535 bytes");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void protocol32WithAnUnknownOptionIsAnsweredWithNegotiateProtocolVersionAndWorks()
      throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "analyst");
    params.put("database", TestPostgres.SHOP);
    params.put("_pq_.unknown_option", "x");
    try (RawClient raw = new RawClient(proxy.server.port())) {
      raw.send(new StartupMessage(FrontendMessage.PROTOCOL_3_2, params));
      assertThat(raw.next())
          .isEqualTo(
              new NegotiateProtocolVersion(
                  FrontendMessage.PROTOCOL_3_2, List.of("_pq_.unknown_option")));
      assertThat(raw.next()).isInstanceOf(Authentication.class);
      raw.send(new PasswordMessage(ProxyFixture.token(ReferencePrincipal.ANALYST)));
      raw.until('Z');
      // After authentication the configured maximum applies again: a 100 kB statement runs.
      String big = "x".repeat(100_000);
      raw.send(new Query("SELECT '" + big + "'"));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).anySatisfy(m -> assertThat(m).isInstanceOf(DataRow.class));
    }
  }

  @Test
  void aSecondSslRequestIsRefusedAsPostgresqlRefusesIt() throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      raw.send(new SslRequest());
      assertThat(raw.in.readByte()).isEqualTo((byte) 'N');
      raw.send(new SslRequest());
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("0A000");
      assertThat(e.message())
          .isEqualTo("unsupported frontend protocol 1234.5679: server supports 3.0 to 3.2");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void aTruncatedBindIsFatal08P01ForThatConnectionOnly() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      // A Bind whose parameter count promises a value its frame does not hold.
      raw.sendRaw(
          Unpooled.buffer()
              .writeByte('B')
              .writeInt(4 + 2 + 2 + 2)
              .writeBytes(new byte[] {0, 0})
              .writeShort(0)
              .writeShort(1));
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("08P01");
      assertThat(e.fields().get('S')).isEqualTo("FATAL");
      assertThat(e.message()).isEqualTo("malformed `B` message");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  /**
   * A client encoding whose multibyte characters can end in 0x5C would make the gateway and
   * PostgreSQL lex different statements (red-team R11: an SJIS character ending an E'' string for
   * PostgreSQL hid an UPDATE from the analysis), so only UTF8 and SQL_ASCII are served.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SJIS",
        "sjis",
        "Shift_JIS",
        "SHIFT_JIS_2004",
        "GBK",
        "GB18030",
        "BIG5",
        "UHC",
        "JOHAB",
        "LATIN1",
        "WIN1252",
        "EUC_JP",
        "no-such-encoding",
        ""
      })
  void aClientEncodingOtherThanUtf8IsRefusedAtStartup(String encoding) throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      raw.send(
          new StartupMessage(
              FrontendMessage.PROTOCOL_3_0,
              Map.of(
                  "user",
                  "etl-nightly",
                  "database",
                  TestPostgres.SHOP,
                  "client_encoding",
                  encoding)));
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("0A000");
      assertThat(e.fields().get('S')).isEqualTo("FATAL");
      assertThat(e.message()).contains("is not supported").contains("UTF8");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF8", "utf-8", "Unicode", "SQL_ASCII"})
  void utf8AndSqlAsciiAreServedAndTheUpstreamSpeaksUtf8(String encoding) throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      raw.send(
          new StartupMessage(
              FrontendMessage.PROTOCOL_3_0,
              Map.of(
                  "user",
                  "etl-nightly",
                  "database",
                  TestPostgres.SHOP,
                  "client_encoding",
                  encoding)));
      assertThat(raw.next()).isInstanceOf(Authentication.class);
      raw.send(new PasswordMessage(ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY)));
      List<BackendMessage> ready = raw.until('Z');
      assertThat(ready).contains(new ParameterStatus("client_encoding", "UTF8"));
      // The red team's bytes: 0x83 0x5C is one SJIS character; in UTF-8 it is invalid, and
      // PostgreSQL refuses the whole message, so nothing after it can run unseen.
      byte[] head = "SELECT 1 WHERE E'".getBytes(StandardCharsets.US_ASCII);
      byte[] tail =
          "' = ''; UPDATE app.orders SET note = 'r11' WHERE true; -- '"
              .getBytes(StandardCharsets.US_ASCII);
      ByteBuf query = Unpooled.buffer();
      query.writeByte('Q').writeInt(4 + head.length + 2 + tail.length + 1);
      query.writeBytes(head).writeByte(0x83).writeByte(0x5c).writeBytes(tail).writeByte(0);
      raw.sendRaw(query);
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).anySatisfy(m -> assertThat(m).isInstanceOf(ErrorResponse.class));
      assertThat(answers)
          .noneSatisfy(
              m ->
                  assertThat(m)
                      .isInstanceOfSatisfying(
                          CommandComplete.class, c -> assertThat(c.tag()).startsWith("UPDATE")));
      raw.send(new Query("SELECT count(*) FROM app.orders WHERE note = 'r11'"));
      List<BackendMessage> count = raw.until('Z');
      assertThat(count)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .isInstanceOfSatisfying(
                          DataRow.class,
                          row ->
                              assertThat(new String(row.cells().get(0), StandardCharsets.UTF_8))
                                  .isEqualTo("0")));
    }
  }

  private static void tryToSend(RawClient raw, byte[] bytes) {
    try {
      raw.out.write(bytes);
      raw.out.flush();
    } catch (IOException e) {
      // The proxy may already have closed: that is the point.
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100); // lets a collection finish before heap use is read (a measurement)
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
