package dev.gatehouse.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Splitting and decoding without any issuer: what reaches signature checking, and what not. */
class CompactTokenTest {

  @Test
  void splitsAWellFormedToken() throws Exception {
    String header = Forge.b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}");
    String payload = Forge.b64("{\"iss\":\"https://idp.example\",\"sub\":\"a\"}");
    CompactToken t = CompactToken.parse(header + "." + payload + ".c2ln", 1000);

    assertThat(t.header().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(t.header().getKeyID()).isEqualTo("k1");
    assertThat(t.unverifiedIssuer()).isEqualTo("https://idp.example");
    assertThat(new String(t.signingInput(), StandardCharsets.US_ASCII))
        .isEqualTo(header + "." + payload);
    assertThat(t.signature().toString()).isEqualTo("c2ln");
  }

  @Test
  void issuerThatIsNotAStringIsNoIssuer() throws Exception {
    String token =
        Forge.b64("{\"alg\":\"RS256\"}") + "." + Forge.b64("{\"iss\":[\"a\",\"b\"]}") + ".c2ln";
    assertThat(CompactToken.parse(token, 1000).unverifiedIssuer()).isNull();
  }

  @Test
  void duplicateJsonMembersAreMalformed() {
    String token =
        Forge.b64("{\"alg\":\"RS256\"}")
            + "."
            + Forge.b64("{\"sub\":\"a\",\"sub\":\"admin\"}")
            + ".c2ln";
    AuthenticationException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            AuthenticationException.class, () -> CompactToken.parse(token, 1000));
    assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.MALFORMED);
  }

  @Test
  void quotedValuesAreShortAndSingleLine() {
    assertThat(Text.quote("a\nb`c")).isEqualTo("a?b?c");
    assertThat(Text.quote("x".repeat(500))).hasSize(103).endsWith("...");
  }
}
