package dev.gatehouse.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.Mutator;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Close;
import dev.gatehouse.wire.protocol.frontend.CopyData;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.SslRequest;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import dev.gatehouse.wire.protocol.frontend.Sync;
import dev.gatehouse.wire.server.StartupGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded fuzzing of what a client can send before and after authentication: the client decoder and
 * startup guard, fed in random chunks, then every frame decoded as a frontend message. The only
 * acceptable failure is a protocol violation; frames never exceed the bounds in force. {@code
 * -Dgatehouse.fuzz.seconds=600} runs it longer (docs/operations.md).
 */
class FrameFuzzTest {

  private static final int MAX = 1 << 20;

  private static byte[] bytes(FrontendMessage... messages) {
    ByteBuf b = Unpooled.buffer();
    for (FrontendMessage m : messages) {
      m.encode(b);
    }
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private static List<byte[]> seeds() {
    StartupMessage startup =
        new StartupMessage(FrontendMessage.PROTOCOL_3_0, Map.of("user", "u", "database", "shop"));
    return List.of(
        bytes(startup),
        bytes(new SslRequest()),
        bytes(new StartupMessage((3 << 16) | 2, Map.of("user", "u", "_pq_.x", "1"))),
        bytes(startup, new PasswordMessage("eyJ.token.sig")),
        bytes(startup, new Query("SELECT 1; SELECT 'a'")),
        bytes(
            startup,
            new Parse("s1", "SELECT $1::int", List.of(23)),
            new Bind("p1", "s1", List.of((short) 0), List.of("1".getBytes()), List.of((short) 1)),
            new Describe('P', "p1"),
            new Execute("p1", 10),
            new Close('S', "s1"),
            new Sync()),
        bytes(startup, new CopyData("1\t2\n".getBytes())));
  }

  /**
   * Decodes one input; a protocol violation is the only failure allowed. Returns whether one ended
   * it.
   */
  static boolean decode(byte[] input, Mutator chunks) {
    FrameDecoder decoder = FrameDecoder.forClient(MAX);
    EmbeddedChannel ch = new EmbeddedChannel(decoder, new StartupGuard(decoder));
    ByteBuf all = Unpooled.wrappedBuffer(input);
    boolean startupSeen = false;
    boolean violated = false;
    try {
      reading:
      while (all.isReadable() && ch.isActive()) {
        int size = chunks == null ? all.readableBytes() : 1 + chunks.nextInt(all.readableBytes());
        try {
          ch.writeInbound(all.readRetainedSlice(size));
        } catch (DecoderException e) {
          assertThat(e.getCause()).isInstanceOf(ProtocolViolation.class);
          violated = true;
          break;
        }
        Frame frame;
        while ((frame = ch.readInbound()) != null) {
          try {
            int limit =
                frame.type() == Frame.UNTYPED
                    ? FrameDecoder.MAX_STARTUP_PACKET_LENGTH + 4
                    : FrameDecoder.MAX_PRE_AUTH_MESSAGE + 1;
            assertThat(frame.bytes().readableBytes()).isLessThanOrEqualTo(limit);
            if (frame.type() == Frame.UNTYPED) {
              FrontendMessage m = FrontendMessage.decodeStartup(frame);
              if (m instanceof StartupMessage && !startupSeen) {
                startupSeen = true;
                decoder.expectTyped();
              }
            } else {
              FrontendMessage.decode(frame);
            }
          } catch (ProtocolViolation expected) {
            violated = true;
            break reading;
          } finally {
            frame.release();
          }
        }
      }
    } finally {
      all.release();
    }
    try {
      // Bytes left after the last frame are decoded as the channel closes: still only violations.
      ch.finishAndReleaseAll();
    } catch (DecoderException e) {
      assertThat(e.getCause()).isInstanceOf(ProtocolViolation.class);
      violated = true;
    }
    return violated;
  }

  @Test
  void randomFramesAreDecodedOrRefusedAsProtocolViolations() {
    long seed = Mutator.seed();
    Mutator mutator = new Mutator(seeds(), tokens(), seed);
    // One WARN line per refused input is right for a server, and noise for thousands of inputs.
    quiet(FrameDecoder.class, "dev.gatehouse.wire.protocol.frontend.Malformed");
    // 10 s per input: a busy shared machine pauses for seconds; a real hang never ends.
    long runs = mutator.run(Mutator.budgetMillis(5), 10_000, seed, in -> decode(in, mutator));
    System.out.printf("wire frame fuzz: %d inputs, seed %d%n", runs, seed);
    assertThat(runs).isPositive();
  }

  private static List<byte[]> tokens() {
    List<byte[]> t = new ArrayList<>();
    for (String s : List.of("Q", "P", "B", "\0", "\0\0\0\4", "\u007f\u00ff\u00ff\u00ff", "_pq_.")) {
      t.add(s.getBytes(StandardCharsets.ISO_8859_1));
    }
    return t;
  }

  /** Inputs the fuzzer found or that broke earlier code: each stays a regression test. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        // a Bind whose parameter length claims 2 GB (allocated before it was checked)
        "0000001b00030000757365720075006461746162617365007300004200000011007300000000017fffffff0000",
        // a Bind cut after its parameter count
        "0000001b0003000075736572007500646174616261736500730000420000000b00730000000001",
        // reported slow (2.2 s) in a 30 s run on a loaded machine; replays in milliseconds
        "0000001e0003000064617461626173650073686f70000000007f0175424242424242424242424242424242424242"
            + "424242424242424242424242424242424242424242424242424242424242424242424242424242424242"
            + "42424242424242420000700000001265794a2e746f6b656e2e73696700",
        // a password frame announcing 1.2 MB, decoded only as the channel closed (30 s run)
        "0000001e000300007573657200750064617461626173650073686f70000000001265794a2e746f6b656e7fffffff00",
        // a startup packet announcing 64 MiB
        "04000000000300007573657200",
      })
  void foundInputsStayRefusedCleanly(String hex) {
    assertThat(decode(HexFormat.of().parseHex(hex), null)).isTrue();
  }

  private static void quiet(Class<?> type, String name) {
    for (String logger : List.of(type.getName(), name)) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger))
          .setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }
}
