package dev.gatehouse.wire.protocol.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.masking.ResultColumn;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of the messages the gateway writes itself, against the layouts of the protocol
 * docs and the bytes PostgreSQL sends for the same content (e.g. {@code SELECT 1 AS one}): type
 * byte, Int32 length counting itself but not the type, then the fields.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message
 *     formats</a>
 */
class BackendBytesTest {

  private static String hex(BackendMessage message) {
    ByteBuf out = Unpooled.buffer();
    try {
      message.encode(out);
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      return HexFormat.of().formatHex(bytes);
    } finally {
      out.release();
    }
  }

  @Test
  void readyForQuery() {
    // 'Z', length 5, status
    assertThat(hex(new ReadyForQuery('I'))).isEqualTo("5a" + "00000005" + "49");
    assertThat(hex(new ReadyForQuery('T'))).isEqualTo("5a" + "00000005" + "54");
    assertThat(hex(new ReadyForQuery('E'))).isEqualTo("5a" + "00000005" + "45");
  }

  @Test
  void errorResponseFieldsComeInTheServersOrder() {
    // 'E', length 45, S "ERROR", V "ERROR", C "42501", M "permission denied", terminator
    assertThat(hex(ErrorResponse.error(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied", null)))
        .isEqualTo(
            "45"
                + "0000002d"
                + "53"
                + "4552524f5200"
                + "56"
                + "4552524f5200"
                + "43"
                + "343235303100"
                + "4d"
                + "7065726d697373696f6e2064656e69656400"
                + "00");
  }

  @Test
  void errorResponseWithDetailAndFieldsOfUpstreamOrigin() {
    // built from a map in another order, as a redacted upstream error is: S V C M D H P F L R
    ErrorResponse e =
        new ErrorResponse(
            Map.of(
                'R',
                "int4div",
                'L',
                "841",
                'F',
                "int.c",
                'M',
                "division by zero",
                'C',
                "22012",
                'V',
                "ERROR",
                'S',
                "ERROR",
                'D',
                "d",
                'H',
                "h",
                'P',
                "8"));
    assertThat(hex(e))
        .isEqualTo(
            "45"
                + "0000004a"
                + "53"
                + "4552524f5200"
                + "56"
                + "4552524f5200"
                + "43"
                + "323230313200"
                + "4d"
                + "6469766973696f6e206279207a65726f00"
                + "44"
                + "6400"
                + "48"
                + "6800"
                + "50"
                + "3800"
                + "46"
                + "696e742e6300"
                + "4c"
                + "38343100"
                + "52"
                + "696e7434646976"
                + "00"
                + "00");
  }

  @Test
  void fatalErrorResponse() {
    assertThat(hex(ErrorResponse.fatal(SqlState.PROTOCOL_VIOLATION, "bad")))
        .isEqualTo(
            "45"
                + "0000001f"
                + "53"
                + "464154414c00"
                + "56"
                + "464154414c00"
                + "43"
                + "303850303100"
                + "4d"
                + "62616400"
                + "00");
  }

  @Test
  void noticeResponseWarning() {
    assertThat(hex(NoticeResponse.warning("result truncated", "rules: r1")))
        .isEqualTo(
            "4e0000003b535741524e494e4700565741524e494e4700433031303030004d726573756c74207472756e"
                + "6361746564004472756c65733a2072310000");
  }

  @Test
  void negotiateProtocolVersion() {
    // 'v', length 29, newest minor 0, one option not recognized, its name
    assertThat(hex(new NegotiateProtocolVersion(0, List.of("_pq_.compression"))))
        .isEqualTo(
            "76" + "0000001d" + "00000000" + "00000001" + "5f70715f2e636f6d7072657373696f6e00");
    assertThat(hex(new NegotiateProtocolVersion(0, List.of())))
        .isEqualTo("76" + "0000000c" + "00000000" + "00000000");
  }

  @Test
  void rowDescriptionAsPostgresqlDescribesSelectOneAsOne() {
    // 'T', length 28, 1 field: "one", table 0, attnum 0, int4 (oid 23), size 4, typmod -1, text
    ResultColumn one = new ResultColumn("one", 0, 0, 23, 4, -1, ResultColumn.TEXT);
    assertThat(hex(new RowDescription(List.of(one))))
        .isEqualTo(
            "54"
                + "0000001c"
                + "0001"
                + "6f6e6500"
                + "00000000"
                + "0000"
                + "00000017"
                + "0004"
                + "ffffffff"
                + "0000");
  }

  @Test
  void dataRowWithAValueAndANull() {
    // 'D', length, column count, then per cell Int32 length (-1 for NULL) and bytes
    assertThat(hex(new DataRow(List.of("1".getBytes()))))
        .isEqualTo("44" + "0000000b" + "0001" + "00000001" + "31");
    assertThat(hex(new DataRow(Arrays.asList("1".getBytes(), null))))
        .isEqualTo("44" + "0000000f" + "0002" + "00000001" + "31" + "ffffffff");
  }

  @Test
  void commandCompleteParameterStatusAndBackendKeyData() {
    assertThat(hex(new CommandComplete("SELECT 1")))
        .isEqualTo("43" + "0000000d" + "53454c454354203100");
    assertThat(hex(new ParameterStatus("client_encoding", "UTF8")))
        .isEqualTo("53" + "00000019" + "636c69656e745f656e636f64696e6700" + "5554463800");
    assertThat(hex(new BackendKeyData(1234, 5678)))
        .isEqualTo("4b" + "0000000c" + "000004d2" + "0000162e");
  }

  @Test
  void authenticationRequestsAndShortMessages() {
    assertThat(hex(Authentication.ok())).isEqualTo("52" + "00000008" + "00000000");
    assertThat(hex(Authentication.cleartextPassword())).isEqualTo("52" + "00000008" + "00000003");
    assertThat(hex(new EmptyQueryResponse())).isEqualTo("4900000004");
    assertThat(hex(new ParseComplete())).isEqualTo("3100000004");
    assertThat(hex(new BindComplete())).isEqualTo("3200000004");
    assertThat(hex(new CloseComplete())).isEqualTo("3300000004");
    assertThat(hex(new NoData())).isEqualTo("6e00000004");
    assertThat(hex(new PortalSuspended())).isEqualTo("7300000004");
  }
}
