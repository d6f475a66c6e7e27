package dev.gatehouse.wire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.FrameDecoder;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.NegotiateProtocolVersion;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.SslRequest;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The startup phase answered as PostgreSQL 18 answers it, with frames split across reads. */
class StartupGuardTest {

  private static final int PROTOCOL_3_2 = FrontendMessage.PROTOCOL_3_2;

  private final FrameDecoder decoder = FrameDecoder.forClient(64 << 20);
  private final EmbeddedChannel ch = new EmbeddedChannel(decoder, new StartupGuard(decoder));

  private void sendSplit(FrontendMessage message) {
    ByteBuf bytes = Unpooled.buffer();
    message.encode(bytes);
    while (bytes.isReadable()) {
      ch.writeInbound(bytes.readRetainedSlice(Math.min(3, bytes.readableBytes())));
    }
    bytes.release();
  }

  private BackendMessage written() {
    if (ch.isActive()) {
      ch.flushOutbound();
    }
    ByteBuf out = ch.readOutbound();
    try {
      return BackendMessage.decode(new Frame(out.getByte(out.readerIndex()), out.retain()));
    } finally {
      out.release();
    }
  }

  @Test
  void protocol32PassesUntouched() {
    sendSplit(new StartupMessage(PROTOCOL_3_2, Map.of("user", "u")));
    ch.flushOutbound();
    assertThat((Object) ch.readOutbound()).isNull();
    Frame passed = ch.readInbound();
    StartupMessage seen = (StartupMessage) FrontendMessage.decodeStartup(passed);
    passed.release();
    assertThat(seen.protocolVersion()).isEqualTo(PROTOCOL_3_2);
  }

  @Test
  void aNewerMinorVersionIsNegotiatedDownTo32() {
    sendSplit(new StartupMessage((3 << 16) | 9999, Map.of("user", "u")));
    assertThat(written()).isEqualTo(new NegotiateProtocolVersion(PROTOCOL_3_2, List.of()));
    Frame passed = ch.readInbound();
    StartupMessage seen = (StartupMessage) FrontendMessage.decodeStartup(passed);
    passed.release();
    assertThat(seen.protocolVersion()).isEqualTo(PROTOCOL_3_2);
    assertThat(seen.parameters()).containsExactly(Map.entry("user", "u"));
  }

  @Test
  void unknownOptionsGetNegotiateProtocolVersionAndTheSessionGoesOnWithoutThem() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "analyst");
    params.put("_pq_.compression", "on");
    params.put("database", "shop");
    sendSplit(new StartupMessage(PROTOCOL_3_2, params));
    assertThat(written())
        .isEqualTo(new NegotiateProtocolVersion(PROTOCOL_3_2, List.of("_pq_.compression")));
    Frame passed = ch.readInbound();
    StartupMessage seen = (StartupMessage) FrontendMessage.decodeStartup(passed);
    passed.release();
    assertThat(seen.protocolVersion()).isEqualTo(PROTOCOL_3_2);
    assertThat(seen.parameters())
        .containsExactly(Map.entry("user", "analyst"), Map.entry("database", "shop"));
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void protocol30WithoutOptionsPassesUntouched() {
    sendSplit(new StartupMessage(FrontendMessage.PROTOCOL_3_0, Map.of("user", "u")));
    ch.flushOutbound();
    assertThat((Object) ch.readOutbound()).isNull();
    Frame passed = ch.readInbound();
    assertThat(passed.type()).isEqualTo(Frame.UNTYPED);
    passed.release();
  }

  @Test
  void aSecondSslRequestIsRefusedAsPostgresqlRefusesIt() {
    sendSplit(new SslRequest());
    Frame first = ch.readInbound();
    first.release();
    sendSplit(new SslRequest());
    ErrorResponse e = (ErrorResponse) written();
    assertThat(e.sqlState()).isEqualTo("0A000");
    assertThat(e.message())
        .isEqualTo("unsupported frontend protocol 1234.5679: server supports 3.0 to 3.2");
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void anotherMajorVersionIsRefused() {
    sendSplit(new StartupMessage((4 << 16), Map.of("user", "u")));
    ErrorResponse e = (ErrorResponse) written();
    assertThat(e.sqlState()).isEqualTo("0A000");
    assertThat(e.message()).startsWith("unsupported frontend protocol 4.0");
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void authenticationOkLiftsThePreAuthenticationBound() {
    sendSplit(new StartupMessage(FrontendMessage.PROTOCOL_3_0, Map.of("user", "u")));
    ((Frame) ch.readInbound()).release();
    decoder.expectTyped();
    ByteBuf ok = Unpooled.buffer();
    Authentication.ok().encode(ok);
    ch.writeOutbound(ok);
    ((ByteBuf) ch.readOutbound()).release();
    ByteBuf big = Unpooled.buffer().writeByte('Q').writeInt(100_004).writeZero(99_999).writeByte(0);
    ch.writeInbound(big);
    Frame frame = ch.readInbound();
    assertThat(frame.bytes().readableBytes()).isEqualTo(100_005);
    frame.release();
  }
}
