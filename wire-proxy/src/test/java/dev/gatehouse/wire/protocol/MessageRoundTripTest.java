package dev.gatehouse.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.wire.protocol.backend.*;
import dev.gatehouse.wire.protocol.frontend.*;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message decodes to what was encoded. */
class MessageRoundTripTest {

  static Stream<FrontendMessage> frontend() {
    return Stream.of(
        new Query("SELECT 1; SELECT 'é'"),
        new Parse("s1", "SELECT $1::int", List.of(23)),
        new Bind(
            "p1",
            "s1",
            List.of((short) 0, (short) 1),
            Arrays.asList("42".getBytes(StandardCharsets.UTF_8), null),
            List.of((short) 1)),
        new Describe('S', "s1"),
        new Describe('P', ""),
        new Execute("p1", 100),
        new Close('P', "p1"),
        new Sync(),
        new Flush(),
        new dev.gatehouse.wire.protocol.frontend.CopyData(new byte[] {1, 2, 3}),
        new dev.gatehouse.wire.protocol.frontend.CopyDone(),
        new CopyFail("client gave up"),
        new FunctionCall(1234, new byte[] {0, 0}),
        new Terminate(),
        new PasswordMessage("eyJ.token"));
  }

  static Stream<FrontendMessage> startup() {
    return Stream.of(
        new StartupMessage(
            FrontendMessage.PROTOCOL_3_0, Map.of("user", "analyst", "database", "shop")),
        new SslRequest(),
        new GssEncRequest(),
        new CancelRequest(77, -5),
        new CancelRequest(78, new byte[32]),
        new CancelRequest(79, new byte[256]));
  }

  static Stream<BackendMessage> backend() {
    return Stream.of(
        Authentication.cleartextPassword(),
        Authentication.ok(),
        new ParameterStatus("server_version", "16.4"),
        new BackendKeyData(1, 2),
        new BackendKeyData(3, new byte[32]),
        new ReadyForQuery('T'),
        new RowDescription(List.of(new ResultColumn("email", 16390, 3, 25, -1, -1, 1))),
        new DataRow(Arrays.asList("a".getBytes(StandardCharsets.UTF_8), null, new byte[0])),
        new CommandComplete("INSERT 0 5"),
        new EmptyQueryResponse(),
        ErrorResponse.error(SqlState.INSUFFICIENT_PRIVILEGE, "denied", "detail"),
        NoticeResponse.notice("waiting", null),
        new ParseComplete(),
        new BindComplete(),
        new CloseComplete(),
        new NoData(),
        new PortalSuspended(),
        new ParameterDescription(List.of(23, 25)),
        new CopyInResponse(0, List.of((short) 0, (short) 0)),
        new CopyOutResponse(1, List.of((short) 1)),
        new dev.gatehouse.wire.protocol.backend.CopyData(new byte[] {9}),
        new dev.gatehouse.wire.protocol.backend.CopyDone(),
        new NotificationResponse(5, "jobs", "done"),
        new NegotiateProtocolVersion(0, List.of("_pq_.x")));
  }

  @ParameterizedTest
  @MethodSource("frontend")
  void frontendRoundTrip(FrontendMessage message) {
    ByteBuf out = Unpooled.buffer();
    message.encode(out);
    Frame frame = new Frame(out.getByte(0), out);
    assertThat(FrontendMessage.decode(frame)).usingRecursiveComparison().isEqualTo(message);
  }

  @ParameterizedTest
  @MethodSource("startup")
  void startupRoundTrip(FrontendMessage message) {
    ByteBuf out = Unpooled.buffer();
    message.encode(out);
    Frame frame = new Frame(Frame.UNTYPED, out);
    assertThat(FrontendMessage.decodeStartup(frame)).usingRecursiveComparison().isEqualTo(message);
  }

  @ParameterizedTest
  @MethodSource("backend")
  void backendRoundTrip(BackendMessage message) {
    ByteBuf out = Unpooled.buffer();
    message.encode(out);
    Frame frame = new Frame(out.getByte(0), out);
    assertThat(BackendMessage.decode(frame)).usingRecursiveComparison().isEqualTo(message);
  }

  @org.junit.jupiter.api.Test
  void saslMessagesRoundTrip() {
    ByteBuf out = Unpooled.buffer();
    new SaslInitialResponse("SCRAM-SHA-256", new byte[] {1, 2}).encode(out);
    Frame frame = new Frame(out.getByte(0), out);
    assertThat(SaslInitialResponse.decode(frame.body()))
        .usingRecursiveComparison()
        .isEqualTo(new SaslInitialResponse("SCRAM-SHA-256", new byte[] {1, 2}));
    ByteBuf next = Unpooled.buffer();
    new SaslResponse(new byte[] {3, 4}).encode(next);
    assertThat(SaslResponse.decode(new Frame(next.getByte(0), next).body()))
        .usingRecursiveComparison()
        .isEqualTo(new SaslResponse(new byte[] {3, 4}));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 3, 257})
  void aCancelKeyOutsideFourTo256BytesIsAProtocolViolation(int length) {
    ByteBuf out = Unpooled.buffer();
    new CancelRequest(5, new byte[Math.max(length, 4)]).encode(out);
    // Rewrite the frame to carry exactly `length` key bytes.
    out.writerIndex(12 + length);
    out.setInt(0, 12 + length);
    Frame frame = new Frame(Frame.UNTYPED, out);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrontendMessage.decodeStartup(frame))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("cancel key has 4 to 256 bytes, not " + length);
  }
}
