package dev.gatehouse.wire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.FrameDecoder;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.GssEncRequest;
import dev.gatehouse.wire.protocol.frontend.SslRequest;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The startup phase of a client connection, without a network (EmbeddedChannel). */
class ClientHandlerTest {

  /** With {@code overLimit}, the startup reserve has no room: the socket is refused at once. */
  static EmbeddedChannel channel(WireProxyConfig config, boolean overLimit) {
    FrameDecoder decoder = new FrameDecoder(config.maxMessageSize(), false);
    return new EmbeddedChannel(
        decoder,
        new ClientHandler(
            null,
            config,
            null,
            new CancelRegistry(),
            Runnable::run,
            new ConnectionSlots(config.maxConnections(), overLimit ? 0 : 64),
            dev.gatehouse.engine.quota.Quotas.unlimited(),
            decoder));
  }

  static ByteBuf encode(FrontendMessage m) {
    ByteBuf out = Unpooled.buffer();
    m.encode(out);
    return out;
  }

  static ErrorResponse error(EmbeddedChannel ch) {
    ByteBuf out = ch.readOutbound();
    ErrorResponse e = (ErrorResponse) BackendMessage.decode(new Frame(out.getByte(0), out));
    out.release();
    return e;
  }

  static StartupMessage startup() {
    return new StartupMessage(
        FrontendMessage.PROTOCOL_3_0, Map.of("user", "analyst", "database", "shop"));
  }

  @Test
  void sslAndGssEncAreDeclinedWithoutTls() {
    EmbeddedChannel ch = channel(WireProxyConfig.defaults("127.0.0.1", 0), false);
    ch.writeInbound(encode(new SslRequest()));
    ByteBuf answer = ch.readOutbound();
    assertThat((char) answer.readByte()).isEqualTo('N');
    answer.release();
    ch.writeInbound(encode(new GssEncRequest()));
    answer = ch.readOutbound();
    assertThat((char) answer.readByte()).isEqualTo('N');
    answer.release();
  }

  @Test
  void tokenOverPlainTcpFromANonLoopbackPeerIsRefusedBeforeItIsSent() {
    // An EmbeddedChannel's peer is not a loopback address, and TLS is not configured.
    EmbeddedChannel ch = channel(WireProxyConfig.defaults("127.0.0.1", 0), false);
    ch.writeInbound(encode(startup()));
    ErrorResponse e = error(ch);
    assertThat(e.sqlState()).isEqualTo("28000");
    assertThat(e.fields().get('S')).isEqualTo("FATAL");
    assertThat(e.message()).contains("only over TLS");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void tooManyConnectionsIs53300() {
    EmbeddedChannel ch = channel(WireProxyConfig.defaults("127.0.0.1", 0), true);
    ErrorResponse e = error(ch);
    assertThat(e.sqlState()).isEqualTo("53300");
    assertThat(e.message()).contains("quotas.unauthenticatedConnections");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void oldProtocolVersionIsAProtocolViolation() {
    EmbeddedChannel ch = channel(WireProxyConfig.defaults("127.0.0.1", 0), false);
    ch.writeInbound(encode(new StartupMessage(2 << 16, Map.of("user", "x"))));
    ErrorResponse e = error(ch);
    assertThat(e.sqlState()).isEqualTo("08P01");
    assertThat(e.message()).contains("protocol 3.0");
  }

  @Test
  void oversizedStartupPacketIsAProtocolViolation() {
    WireProxyConfig config = WireProxyConfig.defaults("127.0.0.1", 0).withLimits(0, 64, null, null);
    EmbeddedChannel ch = channel(config, false);
    ch.writeInbound(Unpooled.buffer().writeInt(10_000).writeInt(196608));
    assertThat(error(ch).sqlState()).isEqualTo("08P01");
    assertThat(ch.isOpen()).isFalse();
  }
}
