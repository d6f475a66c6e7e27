package dev.gatehouse.wire.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendKeyData;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ParameterStatus;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway's upstream authentication for the methods the test PostgreSQL does not use (it speaks
 * SCRAM-SHA-256, which every integration test exercises): md5 and cleartext.
 */
class UpstreamStartupFlowTest {

  static final UpstreamTarget TARGET =
      new UpstreamTarget("127.0.0.1", 5432, "shop", "gatehouse_reader", "s3cret");

  static Frame frame(BackendMessage m) {
    ByteBuf out = Unpooled.buffer();
    m.encode(out);
    return new Frame(out.getByte(0), out);
  }

  @Test
  void md5AnswersWithTheSaltedDoubleHash() throws Exception {
    List<FrontendMessage> sent = new ArrayList<>();
    UpstreamStartupFlow flow = new UpstreamStartupFlow(TARGET, sent::add);
    byte[] salt = {1, 2, 3, 4};
    assertThat(flow.onMessage(frame(new Authentication(Authentication.MD5_PASSWORD, salt))))
        .isNull();
    MessageDigest md = MessageDigest.getInstance("MD5");
    String inner =
        HexFormat.of()
            .formatHex(md.digest("s3cretgatehouse_reader".getBytes(StandardCharsets.UTF_8)));
    md.update(inner.getBytes(StandardCharsets.US_ASCII));
    md.update(salt);
    String expected = "md5" + HexFormat.of().formatHex(md.digest());
    assertThat(sent).containsExactly(new PasswordMessage(expected));
  }

  @Test
  void cleartextSendsThePasswordAndReadyEndsTheStartup() throws Exception {
    List<FrontendMessage> sent = new ArrayList<>();
    UpstreamStartupFlow flow = new UpstreamStartupFlow(TARGET, sent::add);
    flow.onMessage(frame(Authentication.cleartextPassword()));
    assertThat(sent).containsExactly(new PasswordMessage("s3cret"));
    assertThat(flow.onMessage(frame(Authentication.ok()))).isNull();
    flow.onMessage(frame(new ParameterStatus("server_version", "16.4")));
    flow.onMessage(frame(new BackendKeyData(7, 8)));
    UpstreamStartupFlow.Ready ready = flow.onMessage(frame(new ReadyForQuery('I')));
    assertThat(ready.parameters()).containsExactly(new ParameterStatus("server_version", "16.4"));
    assertThat(ready.key()).isEqualTo(new BackendKeyData(7, 8));
  }

  @Test
  void refusalNamesTheRoleButNoSecret() {
    UpstreamStartupFlow flow = new UpstreamStartupFlow(TARGET, m -> {});
    assertThatThrownBy(
            () ->
                flow.onMessage(
                    frame(
                        ErrorResponse.error(
                            SqlState.INVALID_PASSWORD, "password authentication failed", null))))
        .isInstanceOf(UpstreamStartupFlow.Failed.class)
        .hasMessageContaining("gatehouse_reader")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void unsupportedSaslMechanismIsRefused() {
    UpstreamStartupFlow flow = new UpstreamStartupFlow(TARGET, m -> {});
    byte[] mechanisms = "SCRAM-SHA-256-PLUS\0\0".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> flow.onMessage(frame(new Authentication(Authentication.SASL, mechanisms))))
        .isInstanceOf(UpstreamStartupFlow.Failed.class)
        .hasMessageContaining("no supported SASL mechanism");
  }

  @Test
  void startupMessageCarriesRoleDatabaseAndOptions() {
    UpstreamStartupFlow flow = new UpstreamStartupFlow(TARGET, m -> {});
    assertThat(
            flow.startupMessage(Map.of("options", "-c default_transaction_read_only=on"))
                .parameters())
        .containsEntry("user", "gatehouse_reader")
        .containsEntry("database", "shop")
        .containsEntry("options", "-c default_transaction_read_only=on");
  }
}
