package dev.gatehouse.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  @Test
  void framesSplitAcrossReadsAndSeveralPerRead() {
    ByteBuf all = Unpooled.buffer();
    new Query("SELECT 1").encode(all);
    new Parse("", "SELECT $1", List.of()).encode(all);
    new Sync().encode(all);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024, true));
    // One byte per read: every frame is assembled from many reads.
    while (all.isReadable()) {
      ch.writeInbound(all.readRetainedSlice(1));
    }
    all.release();
    List<FrontendMessage> messages = new ArrayList<>();
    Frame f;
    while ((f = ch.readInbound()) != null) {
      messages.add(FrontendMessage.decode(f));
      f.release();
    }
    assertThat(messages)
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactly(new Query("SELECT 1"), new Parse("", "SELECT $1", List.of()), new Sync());
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void frameKeepsOriginalBytes() {
    ByteBuf bytes = Unpooled.buffer();
    new Query("SELECT 2").encode(bytes);
    byte[] original = new byte[bytes.readableBytes()];
    bytes.getBytes(0, original);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024, true));
    ch.writeInbound(bytes);
    Frame f = ch.readInbound();
    byte[] relayed = new byte[f.bytes().readableBytes()];
    f.bytes().getBytes(f.bytes().readerIndex(), relayed);
    assertThat(relayed).isEqualTo(original);
    f.release();
  }

  @Test
  void oversizedFrameIsAProtocolViolationBeforeItsBodyArrives() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100, true));
    ByteBuf header = Unpooled.buffer().writeByte('Q').writeInt(1_000_000);
    assertThatThrownBy(() -> ch.writeInbound(header))
        .isInstanceOf(DecoderException.class)
        .cause()
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("exceeds the maximum of 100 bytes");
  }

  @Test
  void negativeLengthIsAProtocolViolation() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100, true));
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeByte('Q').writeInt(2)))
        .cause()
        .isInstanceOf(ProtocolViolation.class);
  }

  @Test
  void untypedStartupThenTyped() {
    FrameDecoder decoder = new FrameDecoder(1024, false);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    ByteBuf bytes = Unpooled.buffer();
    new dev.gatehouse.wire.protocol.frontend.StartupMessage(
            FrontendMessage.PROTOCOL_3_0, Map.of("user", "u"))
        .encode(bytes);
    ch.writeInbound(bytes);
    Frame startup = ch.readInbound();
    assertThat(startup.type()).isEqualTo(Frame.UNTYPED);
    startup.release();
    decoder.expectTyped();
    ByteBuf q = Unpooled.buffer();
    new Query("x").encode(q);
    ch.writeInbound(q);
    Frame query = ch.readInbound();
    assertThat(query.typeChar()).isEqualTo('Q');
    query.release();
  }

  @Test
  void unterminatedStringIsAProtocolViolation() {
    ByteBuf bytes =
        Unpooled.buffer().writeByte('Q').writeInt(7).writeBytes(new byte[] {'a', 'b', 'c'});
    Frame frame = new Frame((byte) 'Q', bytes);
    assertThatThrownBy(() -> FrontendMessage.decode(frame)).isInstanceOf(ProtocolViolation.class);
  }
}
