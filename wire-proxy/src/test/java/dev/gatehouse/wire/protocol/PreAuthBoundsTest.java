package dev.gatehouse.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL's bounds before authentication, checked from the length word alone. */
class PreAuthBoundsTest {

  private static final int MAX = 64 << 20;

  @Test
  void aStartupPacketAnnouncing64MiBIsRefusedFromItsLengthWord() {
    EmbeddedChannel ch = new EmbeddedChannel(FrameDecoder.forClient(MAX));
    // Only the length word has arrived; nothing of the body is (or will be) buffered.
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(64 << 20)))
        .isInstanceOf(DecoderException.class)
        .cause()
        .isInstanceOf(ProtocolViolation.class)
        .hasMessage("invalid length of startup packet");
    // What the client sends after that is dropped unread, without a second complaint.
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[4096]));
    assertThat((Object) ch.readInbound()).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void startupPacketsUpToPostgresqlsBoundPassSplitAcrossReads() {
    // A body of exactly 10,000 bytes: version, one parameter, terminator.
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "u");
    params.put("application_name", "a".repeat(10_000 - 4 - 5 - 17 - 2 - 1 - 1));
    ByteBuf bytes = Unpooled.buffer();
    new StartupMessage(FrontendMessage.PROTOCOL_3_0, params).encode(bytes);
    assertThat(bytes.getInt(0) - 4).isEqualTo(FrameDecoder.MAX_STARTUP_PACKET_LENGTH);
    EmbeddedChannel ch = new EmbeddedChannel(FrameDecoder.forClient(MAX));
    while (bytes.isReadable()) {
      ch.writeInbound(bytes.readRetainedSlice(Math.min(777, bytes.readableBytes())));
    }
    bytes.release();
    Frame frame = ch.readInbound();
    assertThat(((StartupMessage) FrontendMessage.decodeStartup(frame)).user()).isEqualTo("u");
    frame.release();

    EmbeddedChannel over = new EmbeddedChannel(FrameDecoder.forClient(MAX));
    assertThatThrownBy(() -> over.writeInbound(Unpooled.buffer().writeInt(10_005).writeInt(0)))
        .cause()
        .hasMessage("invalid length of startup packet");
  }

  @Test
  void beforeAuthenticationATypedMessageIsBoundedThenTheConfiguredMaximumApplies() {
    FrameDecoder decoder = FrameDecoder.forClient(MAX);
    decoder.expectTyped();
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeByte('p').writeInt(70_000)))
        .cause()
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("before authentication exceeds the maximum of 65535 bytes");

    FrameDecoder after = FrameDecoder.forClient(MAX);
    after.expectTyped();
    after.authenticated();
    EmbeddedChannel ok = new EmbeddedChannel(after);
    ByteBuf big = Unpooled.buffer();
    new PasswordMessage("t".repeat(70_000)).encode(big);
    while (big.isReadable()) {
      ok.writeInbound(big.readRetainedSlice(Math.min(4096, big.readableBytes())));
    }
    big.release();
    Frame frame = ok.readInbound();
    assertThat(frame.bytes().readableBytes()).isEqualTo(70_006);
    frame.release();
  }

  @Test
  void upstreamDecodersKeepTheirOwnBound() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX, true));
    ByteBuf big = Unpooled.buffer();
    new PasswordMessage("t".repeat(70_000)).encode(big);
    ch.writeInbound(big);
    Frame frame = ch.readInbound();
    assertThat(frame.typeChar()).isEqualTo('p');
    frame.release();
  }

  @Test
  void aTruncatedBindIsAProtocolViolationNamingTheMessage() {
    ByteBuf bytes = Unpooled.buffer();
    new Bind("", "s", List.of(), List.of("v".getBytes()), List.of()).encode(bytes);
    // Cut the frame short and fix its length: the fields now run past its end.
    ByteBuf cut = Unpooled.buffer().writeBytes(bytes, 0, 12);
    cut.setInt(1, 11);
    Frame frame = new Frame((byte) 'B', cut);
    assertThatThrownBy(() -> FrontendMessage.decode(frame))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessage("malformed `B` message");
  }

  @Test
  void aParameterAnnouncingTwoGigabytesIsRefusedBeforeAllocating() {
    ByteBuf body = Unpooled.buffer();
    body.writeBytes(new byte[] {0, 's', 0}); // portal "", statement "s"
    body.writeShort(0).writeShort(1).writeInt(Integer.MAX_VALUE).writeShort(0);
    ByteBuf frame = Unpooled.buffer().writeByte('B').writeInt(body.readableBytes() + 4);
    frame.writeBytes(body);
    assertThatThrownBy(() -> FrontendMessage.decode(new Frame((byte) 'B', frame)))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("invalid value length 2147483647");
  }
}
