package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OAUTHBEARER client messages read as PostgreSQL 18 reads them (RFC 7628 §3.1). */
class OAuthBearerTest {

  private static byte[] msg(String s) {
    return s.replace("^A", "\u0001").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theTokenOfAnInitialResponse() {
    assertThat(OAuthBearer.token(msg("n,,^Aauth=Bearer eyJ.a-b_c.d~+/==^A^A")))
        .isEqualTo("eyJ.a-b_c.d~+/==");
    // 'y' (client could bind, server did not offer) and other keys, which are ignored
    assertThat(OAuthBearer.token(msg("y,,^Ahost=db^Aport=5432^Aauth=bearer tok^A^A")))
        .isEqualTo("tok");
  }

  @Test
  void anEmptyAuthValueAsksForDiscovery() {
    assertThat(OAuthBearer.token(msg("n,,^Aauth=^A^A"))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "p=tls-server-end-point,,^Aauth=Bearer t^A^A | channel binding",
        "n,a=someone,^Aauth=Bearer t^A^A | authorization identity",
        "x,,^Aauth=Bearer t^A^A | channel-binding flag",
        "n,,auth=Bearer t^A^A | key/value separator",
        "n,,^Aauth=Bearer t^A | not terminated",
        "n,,^Aauth=Bearer t^A^Aextra | after its final separator",
        "n,,^Ahost=db^A^A | no auth value",
        "n,,^Aauth=Bearer a^Aauth=Bearer b^A^A | more than one auth",
        "n,,^Aauth=Basic dXNlcg==^A^A | not a Bearer token",
        "n,,^Aauth=Bearer a b^A^A | characters a token cannot hold",
        "n,,^A=x^A^A | key is empty",
        "n,,^Ak1=x^A^A | key is empty, invalid",
      })
  void malformedMessagesAreProtocolViolationsThatNeverQuoteTheMessage(String message, String why) {
    assertThatThrownBy(() -> OAuthBearer.token(msg(message)))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageStartingWith("malformed OAUTHBEARER message: ")
        .hasMessageContaining(why)
        .hasMessageNotContaining("dXNlcg")
        .hasMessageNotContaining("Bearer a");
  }

  @Test
  void onlyASingleSeparatorAnswersAnErrorStatus() {
    assertThat(OAuthBearer.isKvsep(new byte[] {1})).isTrue();
    assertThat(OAuthBearer.isKvsep(new byte[] {1, 1})).isFalse();
    assertThat(OAuthBearer.isKvsep(new byte[0])).isFalse();
  }

  @Test
  void theErrorStatusIsPostgresql18s() {
    assertThat(
            new String(
                OAuthBearer.errorStatus(
                    "https://idp.example.com/.well-known/openid-configuration", "openid \"db\""),
                StandardCharsets.UTF_8))
        .isEqualTo(
            "{ \"status\": \"invalid_token\", \"openid-configuration\":"
                + " \"https://idp.example.com/.well-known/openid-configuration\", \"scope\":"
                + " \"openid \\\"db\\\"\" }");
  }
}
