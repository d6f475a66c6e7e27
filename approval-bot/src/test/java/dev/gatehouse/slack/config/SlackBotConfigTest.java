package dev.gatehouse.slack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlackBotConfigTest {

  private static final String TOKEN = "xoxb-1111-2222-abcdefSECRET";
  private static final String SIGNING = "0123456789abcdef0123456789abcdef";

  private static SlackBotConfig.Builder valid() {
    return SlackBotConfig.builder()
        .botToken(Secret.of(TOKEN))
        .signingSecret(Secret.of(SIGNING))
        .channel("C0APPROVAL");
  }

  @Test
  void defaultsAreSlackAndFiveMinutes() {
    SlackBotConfig config = valid().build();

    assertThat(config.methodsEndpointUrlPrefix()).isEqualTo("https://slack.com/api/");
    assertThat(config.replayWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.requireConfirmedEmail()).isTrue();
  }

  @Test
  void toStringNeverShowsSecrets() {
    SlackBotConfig config = valid().build();

    assertThat(config.toString()).doesNotContain(TOKEN, SIGNING, "SECRET").contains("****");
    assertThat(config.botToken().toString()).isEqualTo("****");
  }

  @Test
  void theUrlIsConfigurableAndNormalised() {
    assertThat(
            valid()
                .methodsEndpointUrlPrefix("http://127.0.0.1:9/api")
                .build()
                .methodsEndpointUrlPrefix())
        .isEqualTo("http://127.0.0.1:9/api/");
    assertThatThrownBy(() -> valid().methodsEndpointUrlPrefix("ftp://slack/api/").build())
        .hasMessageContaining("`ftp://slack/api/` must be an http or https url");
  }

  @Test
  void refusesWhatWouldBeUnsafeOrWrong() {
    assertThatThrownBy(() -> valid().botToken(Secret.of("xoxp-user-token")).build())
        .hasMessageContaining("bot token starting with `xoxb-`")
        .hasMessageNotContaining("xoxp-user-token");
    assertThatThrownBy(() -> valid().signingSecret(Secret.of("short")).build())
        .hasMessageContaining("signing secret is too short")
        .hasMessageNotContaining("short`");
    assertThatThrownBy(() -> valid().channel("approvals channel").build())
        .hasMessageContaining("`approvals channel` is not a channel id");
    assertThatThrownBy(() -> valid().replayWindow(Duration.ofMinutes(10)).build())
        .hasMessageContaining("longer than slack's 5 minutes");
    assertThatThrownBy(() -> valid().approversBySlackUser(Map.of("dba", identity())).build())
        .hasMessageContaining("`dba` is not a slack user id");
    assertThatThrownBy(() -> valid().approversByEmail(Map.of("dba", identity())).build())
        .hasMessageContaining("`dba` is not an e-mail address");
    assertThatThrownBy(
            () ->
                valid()
                    .approversByEmail(
                        Map.of("DBA@example.com", identity(), "dba@example.com", identity()))
                    .build())
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> valid().sqlPreviewChars(5000).build())
        .hasMessageContaining("slack allows 3000 per block");
    assertThatThrownBy(() -> new ApproverIdentity("", "dba", Set.of()))
        .hasMessageContaining("needs an issuer and a subject");
  }

  @Test
  void emailsAreMatchedCaseInsensitively() {
    SlackBotConfig config =
        valid().approversByEmail(Map.of(" DBA@Example.com", identity())).build();

    assertThat(config.approversByEmail()).containsKey("dba@example.com");
  }

  @Test
  void secretsComeFromTheEnvironmentOrAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("signing");
    Files.writeString(file, SIGNING + "\n");

    SlackBotConfig config =
        valid()
            .secretsFromEnvironment(
                Map.of(
                    SlackBotConfig.BOT_TOKEN_ENV,
                    TOKEN,
                    SlackBotConfig.SIGNING_SECRET_ENV + "_FILE",
                    file.toString()))
            .build();

    assertThat(config.botToken().reveal()).isEqualTo(TOKEN);
    assertThat(config.signingSecret().reveal()).isEqualTo(SIGNING);
  }

  @Test
  void missingAmbiguousOrUnreadableSecretsAreClearErrors(@TempDir Path dir) {
    assertThatThrownBy(
            () -> SlackBotConfig.secretFromEnvironment(Map.of(), "GATEHOUSE_SLACK_BOT_TOKEN"))
        .hasMessage("set `GATEHOUSE_SLACK_BOT_TOKEN` or `GATEHOUSE_SLACK_BOT_TOKEN_FILE`");
    assertThatThrownBy(
            () -> SlackBotConfig.secretFromEnvironment(Map.of("X", "a", "X_FILE", "/nope"), "X"))
        .hasMessage("set `X` or `X_FILE`, not both");
    assertThatThrownBy(
            () ->
                SlackBotConfig.secretFromEnvironment(
                    Map.of("X_FILE", dir.resolve("absent").toString()), "X"))
        .hasMessageContaining("cannot read `X_FILE`");
  }

  private static ApproverIdentity identity() {
    return new ApproverIdentity("https://issuer", "dba", Set.of("dba"));
  }
}
