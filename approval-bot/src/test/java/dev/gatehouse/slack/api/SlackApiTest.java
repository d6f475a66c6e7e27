package dev.gatehouse.slack.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.slack.config.RetryPolicy;
import dev.gatehouse.slack.config.Secret;
import dev.gatehouse.slack.config.SlackBotConfig;
import dev.gatehouse.slack.testing.FakeSlack;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackApiTest {

  private static final String TOKEN = "xoxb-api-test";
  private FakeSlack slack;
  private SlackApi api;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    slack = new FakeSlack(TOKEN);
    api = api(TOKEN);
  }

  private SlackApi api(String token) {
    SlackBotConfig config =
        SlackBotConfig.builder()
            .botToken(Secret.of(token))
            .signingSecret(Secret.of("0123456789abcdef0123"))
            .channel("C1")
            .methodsEndpointUrlPrefix(slack.url())
            .retry(
                new RetryPolicy(
                    4, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(30)))
            .build();
    return new SlackApi(config, waits::add);
  }

  @AfterEach
  void stop() {
    api.close();
    slack.close();
  }

  private void post() throws SlackCallException {
    api.call("chat.postMessage", m -> m.chatPostMessage(b -> b.channel("C1").text("hi")));
  }

  @Test
  void honoursRetryAfterThenSucceeds() throws Exception {
    slack.rateLimit("chat.postMessage", 2, 7);

    post();

    assertThat(slack.calls("chat.postMessage")).hasSize(3);
    assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
  }

  @Test
  void aRetryAfterLongerThanAllowedIsLeftToTheOutbox() {
    slack.rateLimit("chat.postMessage", 1, 120);

    SlackCallException e = catchThrowableOfType(SlackCallException.class, this::post);

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("429");
    assertThat(slack.calls("chat.postMessage")).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void serverErrorsBackOffDoublingUpToTheLimitThenGiveUpRetryable() {
    slack.fail("chat.postMessage", 10);

    SlackCallException e = catchThrowableOfType(SlackCallException.class, this::post);

    assertThat(e.retryable()).isTrue();
    assertThat(slack.calls("chat.postMessage")).hasSize(4);
    assertThat(waits)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
  }

  @Test
  void slackDownIsRetryable() {
    slack.down();

    SlackCallException e = catchThrowableOfType(SlackCallException.class, this::post);

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("slack unreachable");
    assertThat(waits).hasSize(3);
  }

  @Test
  void anErrorSlackReportsIsNotRetried() {
    SlackApi wrongToken = api("xoxb-wrong");

    SlackCallException e =
        catchThrowableOfType(
            SlackCallException.class,
            () ->
                wrongToken.call(
                    "chat.postMessage", m -> m.chatPostMessage(b -> b.channel("C1").text("hi"))));

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("invalid_auth").doesNotContain("xoxb-wrong");
    assertThat(slack.calls("chat.postMessage")).hasSize(1);
    wrongToken.close();
  }
}
