package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.DefaultGate;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.testgate.KeywordAnalyzer;
import dev.gatehouse.wire.testgate.KeywordPolicy;
import dev.gatehouse.wire.testgate.NameMaskPlanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real {@link Session} over an {@link EmbeddedChannel}, admitted by the real {@link DefaultGate}
 * with the module's engine doubles, and no upstream: a principal no rule grants anything, so the
 * session never needs a database.
 */
final class SessionHarness {

  final EmbeddedChannel client = new EmbeddedChannel();
  final MemoryAuditTrail audit = new MemoryAuditTrail();
  final Session session;

  SessionHarness() {
    this(Instant.now().plus(Duration.ofHours(1)), Clock.systemUTC());
  }

  /** A session whose token expires at {@code expiresAt}, on {@code clock}. */
  SessionHarness(Instant expiresAt, Clock clock) {
    DefaultGate gate =
        new DefaultGate(
            token -> {
              throw new IllegalStateException("no tokens in this test");
            },
            new KeywordAnalyzer(),
            new KeywordPolicy(),
            new NameMaskPlanner(),
            audit,
            MemoryApprovalService.approvedBy("dba", Duration.ofMinutes(5)),
            (database, role) -> {
              throw new IllegalArgumentException("no upstream in this test");
            },
            clock);
    Principal contractor =
        new Principal(
            "https://issuer.test",
            "contractor-7",
            Principal.Kind.PERSON,
            Set.of("contractors"),
            "cli",
            Map.of(),
            expiresAt);
    SessionInfo info =
        new SessionInfo(
            "conn-1",
            contractor,
            "shop",
            "test",
            "127.0.0.1",
            Map.of(),
            7,
            new byte[] {0, 0, 0, 11});
    session = new Session(gate, info, client, clock, Duration.ofSeconds(1), Runnable::run);
    session.start(null);
  }

  /** One read of the client's: {@code messages} in order, then the read's end. */
  void read(FrontendMessage... messages) {
    for (FrontendMessage m : messages) {
      ByteBuf out = Unpooled.buffer();
      m.encode(out);
      session.clientFrame(new Frame(out.getByte(0), out));
    }
    session.clientReadComplete();
  }

  /** A frame of any type byte, as the decoder would hand it over. */
  void readRaw(char type) {
    ByteBuf out = Unpooled.buffer().writeByte(type).writeInt(4);
    session.clientFrame(new Frame((byte) type, out));
    session.clientReadComplete();
  }

  /** Everything the client was sent (and flushed) so far, as one buffer. */
  byte[] bytes() {
    ByteBuf all = Unpooled.buffer();
    ByteBuf next;
    while ((next = client.readOutbound()) != null) {
      all.writeBytes(next);
      next.release();
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return bytes;
  }

  /** Everything the client was sent so far, decoded message by message. */
  List<BackendMessage> received() {
    ByteBuf in = Unpooled.wrappedBuffer(bytes());
    List<BackendMessage> messages = new ArrayList<>();
    while (in.isReadable()) {
      int length = in.getInt(in.readerIndex() + 1);
      ByteBuf frame = in.readRetainedSlice(1 + length);
      messages.add(BackendMessage.decode(new Frame(frame.getByte(0), frame)));
      frame.release();
    }
    return messages;
  }
}
