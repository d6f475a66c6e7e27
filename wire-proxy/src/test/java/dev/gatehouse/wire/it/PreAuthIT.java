package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.NegotiateProtocolVersion;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.SslRequest;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
  void protocol32WithAnUnknownOptionIsNegotiatedDownTo30AndWorks() throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "analyst");
    params.put("database", TestPostgres.SHOP);
    params.put("_pq_.unknown_option", "x");
    try (RawClient raw = new RawClient(proxy.server.port())) {
      raw.send(new StartupMessage((3 << 16) | 2, params));
      assertThat(raw.next())
          .isEqualTo(
              new NegotiateProtocolVersion(
                  FrontendMessage.PROTOCOL_3_0, List.of("_pq_.unknown_option")));
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
          .isEqualTo("unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0");
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
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
