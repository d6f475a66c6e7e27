package dev.gatehouse.wire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.FrameDecoder;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes the startup phase answers with, as PostgreSQL answers the same requests. */
class StartupBytesTest {

  private final FrameDecoder decoder = FrameDecoder.forClient(64 << 20);
  private final EmbeddedChannel ch = new EmbeddedChannel(decoder, new StartupGuard(decoder));

  private void send(FrontendMessage message) {
    ByteBuf bytes = Unpooled.buffer();
    message.encode(bytes);
    ch.writeInbound(bytes);
  }

  private String written() {
    if (ch.isActive()) {
      ch.flushOutbound();
    }
    ByteBuf all = Unpooled.buffer();
    ByteBuf next;
    while ((next = ch.readOutbound()) != null) {
      all.writeBytes(next);
      next.release();
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void anUnknownProtocolOptionIsNamedInNegotiateProtocolVersion() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "analyst");
    params.put("_pq_.compression", "on");
    send(new StartupMessage(FrontendMessage.PROTOCOL_3_0, params));
    // 'v', length 29, version 3.0, 1 option, "_pq_.compression". The docs call the first Int32
    // the "newest minor version", but PostgreSQL writes its whole newest version there
    // (PG_PROTOCOL_LATEST, major << 16 | minor, in postmaster.c), and libpq compares it so.
    assertThat(written())
        .isEqualTo(
            "76" + "0000001d" + "00030000" + "00000001" + "5f70715f2e636f6d7072657373696f6e00");
    Frame passed = ch.readInbound();
    passed.release();
  }
}
