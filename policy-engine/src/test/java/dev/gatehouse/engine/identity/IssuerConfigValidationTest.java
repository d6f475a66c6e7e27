package dev.gatehouse.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad issuer configuration is refused when the verifier is built, with a message that helps. */
class IssuerConfigValidationTest {

  private static final URI JWKS = URI.create("https://idp.example/jwks");
  private static final String ISS = "https://idp.example";

  private static IssuerConfig config(Set<String> algorithms) {
    return new IssuerConfig(
        ISS, null, JWKS, List.of("gatehouse"), algorithms, null, null, null, null);
  }

  private static String refusal(IssuerConfig... configs) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new JwtTokenVerifier(List.of(configs)));
    assertThat(t).isInstanceOf(IllegalArgumentException.class);
    String message = t.getMessage();
    assertThat(message).doesNotEndWith(".");
    assertThat(Character.isLowerCase(message.charAt(0))).as(message).isTrue();
    return message;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512"})
  void hmacAlgorithmsAreAConfigurationError(String alg) {
    assertThat(refusal(config(Set.of("RS256", alg))))
        .contains("`" + alg + "`", "symmetric", "issuer `" + ISS + "`");
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "NONE", "None"})
  void noneIsAConfigurationError(String alg) {
    assertThat(refusal(config(Set.of(alg)))).contains("`none`", "unsigned");
  }

  @Test
  void unsupportedOrMissingAlgorithms() {
    assertThat(refusal(config(Set.of("EdDSA")))).contains("`EdDSA` is not supported");
    assertThat(refusal(config(Set.of("RS257")))).contains("`RS257` is not supported");
    assertThat(refusal(config(Set.of()))).contains("list the allowed algorithms");
  }

  @Test
  void asymmetricAlgorithmsAndDefaultsAreAccepted() {
    TrustedIssuer t = TrustedIssuer.of(config(Set.of("RS256", "PS256", "ES256", "ES384")));
    assertThat(t.algorithms()).hasSize(4);
    assertThat(t.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(t.groupsClaim().text()).isEqualTo("groups");
    assertThat(t.clientIdClaim().text()).isEqualTo("client_id");
    assertThat(t.workloadClaim()).isNull();
  }

  @Test
  void exactlyOneKeySource() {
    assertThat(
            refusal(
                new IssuerConfig(
                    ISS, null, null, List.of("g"), Set.of("RS256"), null, null, null, null)))
        .contains("exactly one of `discovery-url` and `jwks-url`");
    assertThat(
            refusal(
                new IssuerConfig(
                    ISS,
                    URI.create("https://idp.example/.well-known/openid-configuration"),
                    JWKS,
                    List.of("g"),
                    Set.of("RS256"),
                    null,
                    null,
                    null,
                    null)))
        .contains("exactly one");
  }

  @Test
  void plainHttpOnlyOnLoopback() {
    IssuerConfig remote =
        new IssuerConfig(
            ISS,
            null,
            URI.create("http://idp.example/jwks"),
            List.of("g"),
            Set.of("RS256"),
            null,
            null,
            null,
            null);
    assertThat(refusal(remote)).contains("must use https");
    IssuerConfig file =
        new IssuerConfig(
            ISS,
            null,
            URI.create("file:///etc/keys.json"),
            List.of("g"),
            Set.of("RS256"),
            null,
            null,
            null,
            null);
    assertThat(refusal(file)).contains("must use https");
    IssuerConfig local =
        new IssuerConfig(
            ISS,
            null,
            URI.create("http://127.0.0.1:8080/jwks"),
            List.of("g"),
            Set.of("RS256"),
            null,
            null,
            null,
            null);
    assertThat(TrustedIssuer.of(local).jwksUrl()).hasPort(8080);
  }

  @Test
  void audiencesSkewAndClaimsAreChecked() {
    assertThat(
            refusal(
                new IssuerConfig(
                    ISS, null, JWKS, List.of(), Set.of("RS256"), null, null, null, null)))
        .contains("at least one audience");
    assertThat(
            refusal(
                new IssuerConfig(
                    ISS,
                    null,
                    JWKS,
                    List.of("g"),
                    Set.of("RS256"),
                    Duration.ofMinutes(10),
                    null,
                    null,
                    null)))
        .contains("clock skew");
    assertThat(
            refusal(
                new IssuerConfig(
                    ISS,
                    null,
                    JWKS,
                    List.of("g"),
                    Set.of("RS256"),
                    null,
                    "ci..groups",
                    null,
                    null)))
        .contains("`ci..groups`");
  }

  @Test
  void issuersMustBeDistinctAndPresent() {
    assertThat(refusal(config(Set.of("RS256")), config(Set.of("ES256"))))
        .contains("configured twice");
    assertThatThrownBy(() -> new JwtTokenVerifier(List.of()))
        .hasMessage("configure at least one trusted issuer");
    assertThat(
            refusal(
                new IssuerConfig(
                    " ", null, JWKS, List.of("g"), Set.of("RS256"), null, null, null, null)))
        .contains("needs `issuer`");
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> VerifierSettings.defaults().withMaxTokenChars(10))
        .hasMessageContaining("too small");
    assertThatThrownBy(
            () -> VerifierSettings.defaults().withRefresh(Duration.ofSeconds(-1), Duration.ZERO))
        .hasMessageContaining("zero or more");
  }
}
