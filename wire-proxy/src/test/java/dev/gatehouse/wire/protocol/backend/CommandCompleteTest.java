package dev.gatehouse.wire.protocol.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandCompleteTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT 5",
        "INSERT 0 1",
        "UPDATE 12345678901",
        "BEGIN",
        "COPY 0",
        "SELECT",
        "FETCH +3",
        "SELECT 99999999999999999999",
        "MOVE 1x",
        "SELECT 1 ",
        "",
        "7"
      })
  void rowsReadInPlaceMatchTheDecodedTag(String tag) {
    ByteBuf frame = Unpooled.buffer();
    new CommandComplete(tag).encode(frame);
    ByteBuf body = frame.slice(5, frame.readableBytes() - 5);
    assertThat(CommandComplete.rows(body)).isEqualTo(new CommandComplete(tag).rows());
    assertThat(body.readerIndex()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SELECT 5", ""})
  void unterminatedTagIsAViolation(String tag) {
    ByteBuf body = Unpooled.copiedBuffer(tag, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CommandComplete.rows(body)).isInstanceOf(ProtocolViolation.class);
  }
}
