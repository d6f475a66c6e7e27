package dev.gatehouse.wire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.SaslInitialResponse;
import dev.gatehouse.wire.protocol.frontend.SaslResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The OAUTHBEARER exchange's steps, as PostgreSQL 18 takes them. */
class OAuthBearerExchangeTest {

  private final OAuthBearerExchange exchange =
      new OAuthBearerExchange(
          new OAuthBearerConfig("https://idp.example.com/realms/db", "openid db", false));

  private static Frame frame(FrontendMessage m) {
    ByteBuf b = Unpooled.buffer();
    m.encode(b);
    return new Frame(b.getByte(0), b);
  }

  private static byte[] bytes(String s) {
    return s.replace("^A", "\u0001").getBytes(StandardCharsets.UTF_8);
  }

  private static String sent(OAuthBearerExchange.Step step, int code) {
    assertThat(step).isInstanceOf(OAuthBearerExchange.Step.Send.class);
    Authentication a = ((OAuthBearerExchange.Step.Send) step).message();
    assertThat(a.code()).isEqualTo(code);
    return a.saslMessage();
  }

  @Test
  void theOfferNamesOnlyOauthbearer() {
    assertThat(OAuthBearerExchange.offer().mechanisms()).containsExactly("OAUTHBEARER");
  }

  @Test
  void aTokenIsVerifiedAndARefusalComesAfterTheErrorStatusAndTheClientsSeparator() {
    OAuthBearerExchange.Step step =
        exchange.onMessage(
            frame(new SaslInitialResponse("OAUTHBEARER", bytes("n,,^Aauth=Bearer abc^A^A"))));
    assertThat(step).isEqualTo(new OAuthBearerExchange.Step.Verify("abc"));
    String status =
        sent(
            exchange.refused(SqlState.INVALID_PASSWORD, "token expired"),
            Authentication.SASL_CONTINUE);
    assertThat(status)
        .contains("\"status\": \"invalid_token\"")
        .contains(
            "\"openid-configuration\":"
                + " \"https://idp.example.com/realms/db/.well-known/openid-configuration\"")
        .contains("\"scope\": \"openid db\"");
    assertThat(exchange.onMessage(frame(new SaslResponse(new byte[] {1}))))
        .isEqualTo(new OAuthBearerExchange.Step.Fail(SqlState.INVALID_PASSWORD, "token expired"));
  }

  @Test
  void withoutAnInitialResponseAnEmptyChallengeAsksForIt() {
    assertThat(sent(exchange.onMessage(frame(new SaslInitialResponse("OAUTHBEARER", null))), 11))
        .isEmpty();
    assertThat(exchange.onMessage(frame(new SaslResponse(bytes("n,,^Aauth=Bearer xyz^A^A")))))
        .isEqualTo(new OAuthBearerExchange.Step.Verify("xyz"));
  }

  @Test
  void discoveryEndsWithoutAnError() {
    String status =
        sent(
            exchange.onMessage(
                frame(new SaslInitialResponse("OAUTHBEARER", bytes("n,,^Aauth=^A^A")))),
            Authentication.SASL_CONTINUE);
    assertThat(status).contains("openid-configuration");
    assertThat(exchange.onMessage(frame(new SaslResponse(new byte[] {1}))))
        .isInstanceOf(OAuthBearerExchange.Step.Close.class);
  }

  @Test
  void anythingButTheSeparatorAfterAnErrorStatusIsAViolation() {
    exchange.onMessage(frame(new SaslInitialResponse("OAUTHBEARER", bytes("n,,^Aauth=^A^A"))));
    assertThatThrownBy(
            () -> exchange.onMessage(frame(new SaslResponse(bytes("n,,^Aauth=Bearer x^A^A")))))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("key/value separator");
  }

  @Test
  void anotherMechanismOrAMessageDuringVerificationIsAViolation() {
    assertThatThrownBy(
            () -> exchange.onMessage(frame(new SaslInitialResponse("SCRAM-SHA-256", new byte[3]))))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("invalid SASL authentication mechanism");
    OAuthBearerExchange fresh =
        new OAuthBearerExchange(new OAuthBearerConfig("https://idp.example.com", null, false));
    fresh.onMessage(frame(new SaslInitialResponse("OAUTHBEARER", bytes("n,,^Aauth=Bearer t^A^A"))));
    assertThatThrownBy(() -> fresh.onMessage(frame(new SaslResponse(new byte[] {1}))))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessage("message sent before authentication finished");
  }

  @Test
  void theConfigDefaultsTheScopeAndRefusesAnIssuerThatIsNoUrl() {
    OAuthBearerConfig c =
        new OAuthBearerConfig(
            "https://idp.example.com/.well-known/openid-configuration", null, true);
    assertThat(c.scope()).isEqualTo("openid");
    assertThat(c.discoveryUrl())
        .isEqualTo("https://idp.example.com/.well-known/openid-configuration");
    assertThatThrownBy(() -> new OAuthBearerConfig("idp.example.com", null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wire proxy `oauthBearer.issuer` `idp.example.com` must be an https URL");
  }
}
